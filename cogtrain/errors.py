"""Errors that reach the user as one clear line (never a traceback)."""


class CogtrainError(Exception):
    """A problem caused by the user's input or environment; exit status 1."""

    exit_code = 1


class UsageError(CogtrainError):
    """Bad command-line arguments or configuration; exit status 2."""

    exit_code = 2


class ConfigError(UsageError):
    """One or more problems in a configuration file.

    Parameters
    ----------
    problems : list of str
        Each problem names the file, the key path, the value and what was expected.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class SessionAborted(Exception):
    """The participant (or the researcher) ended the session early."""
