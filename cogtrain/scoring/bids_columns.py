"""Descriptions of trial-log columns for BIDS sidecars (LongName, Description, Units, Levels).

Columns named here follow the file contract (design §4) and the tasks' logs;
any other column still gets an entry that names the task that wrote it, so
every column of every exported TSV is described.
"""
from __future__ import annotations

import re
from typing import Any

BINARY = {"0": "no", "1": "yes"}

COLUMNS: dict[str, dict[str, Any]] = {
    "participant": {"LongName": "Participant", "Description": "Participant ID (without the sub- prefix)."},
    "session": {"LongName": "Session", "Description": "Training session number (1 = first session)."},
    "task": {"LongName": "Task", "Description": "Name of the cogtrain task that wrote the row."},
    "block": {"LongName": "Block", "Description": "Block number within the session; practice blocks are 0."},
    "trial": {"LongName": "Trial", "Description": "Trial number within the block, from 1."},
    "onset_s": {"LongName": "Onset", "Description": "Trial onset from the start of the session.", "Units": "s"},
    "rt_s": {"LongName": "Response time", "Description": "Time from onset to the response; n/a without "
             "response.", "Units": "s"},
    "response": {"LongName": "Response", "Description": "The participant's response as logged by the task."},
    "correct": {"LongName": "Correct", "Description": "Whether the response was correct.",
                "Levels": {"0": "incorrect", "1": "correct"}},
    "run": {"LongName": "Start of the session", "Description": "1 for rows written when the session was "
            "started, 2, 3, ... for rows written after each resume of the session.", },
    "practice": {"LongName": "Practice", "Description": "Practice rows are not scored.",
                 "Levels": {"0": "scored trial", "1": "practice trial"}},
    "superseded": {"LongName": "Superseded", "Description": "1 when the block was run again after a resume "
                   "(a higher run has this block); such rows are not scored.", "Levels": BINARY},
    # n-back
    "n_level": {"LongName": "n-back level", "Description": "n of the block (items back to compare)."},
    # tower
    "puzzle": {"LongName": "Puzzle", "Description": "Puzzle type.",
               "Levels": {"tol": "Tower of London", "hanoi": "Tower of Hanoi"}},
    "problem_id": {"LongName": "Problem", "Description": "Identifier of the problem (start and goal state)."},
    "start_state": {"LongName": "Start state", "Description": "Pegs left to right separated by |, each bottom "
                    "to top; ToL balls R, G, B; Hanoi disks 1..n (1 smallest)."},
    "goal_state": {"LongName": "Goal state", "Description": "Goal configuration, same notation as start_state."},
    "min_moves": {"LongName": "Minimum moves", "Description": "Fewest moves that solve the problem."},
    "moves": {"LongName": "Moves", "Description": "Moves made."},
    "move_sequence": {"LongName": "Move sequence", "Description": "Moves as from>to peg indices joined by ;."},
    "solved": {"LongName": "Solved", "Description": "Whether the goal state was reached.", "Levels": BINARY},
    "planning_time_s": {"LongName": "Planning time", "Description": "Time from onset to the first move.",
                        "Units": "s"},
    "execution_time_s": {"LongName": "Execution time", "Description": "Time from the first move to the end.",
                         "Units": "s"},
    "rule_violations": {"LongName": "Rule violations", "Description": "Attempted illegal moves."},
    # recall
    "list": {"LongName": "List", "Description": "Word list number within the session."},
    "phase": {"LongName": "Recall phase", "Description": "Immediate or delayed recall.",
              "Levels": {"immediate": "recall right after study", "delayed": "recall after a delay"}},
    "trial_type": {"LongName": "Event type", "Description": "Study item or recall event.",
                   "Levels": {"study": "item presented", "recall": "item recalled"}},
    "position": {"LongName": "Position", "Description": "Study position or output position, from 1."},
    "item": {"LongName": "Item", "Description": "Scored word (typos and plurals corrected)."},
    "raw_response": {"LongName": "Typed response", "Description": "Text typed by the participant."},
    "scoring_rule": {"LongName": "Scoring rule", "Description": "How the typed response was scored.",
                     "Levels": {"exact": "exact match", "typo": "matched with a typo",
                                "plural": "matched as a plural", "repetition": "item already recalled",
                                "prior_list_intrusion": "item of an earlier list",
                                "extra_list_intrusion": "word not studied",
                                "invalid": "empty or not a word"}},
}

#: Per-modality n-back columns: ``<modality>_<field>``.
NBACK_MODALITY = re.compile(r"(?P<modality>[a-z]+)_(?P<field>stimulus|is_target|is_lure|responded|rt_s)")
_MODALITY_FIELDS = {
    "stimulus": ("stimulus", "Stimulus shown in this modality.", None),
    "is_target": ("target", "1 when the stimulus matches the one n trials back.", BINARY),
    "is_lure": ("lure", "1 when the stimulus matches one at a lag other than n (a lure).", BINARY),
    "responded": ("response", "1 when the participant pressed this modality's match key.", BINARY),
    "rt_s": ("response time", "Time from onset to this modality's key press.", None),
}


def describe_column(column: str, task: str) -> dict[str, Any]:
    """Sidecar entry of one column.

    Parameters
    ----------
    column : str
        Column name.
    task : str
        Task that wrote the log (named in generic descriptions).

    Returns
    -------
    dict
        LongName and Description, plus Units and Levels where known.
    """
    if column in COLUMNS:
        return dict(COLUMNS[column])
    match = NBACK_MODALITY.fullmatch(column)
    if match:
        name, text, levels = _MODALITY_FIELDS[match["field"]]
        entry: dict[str, Any] = {"LongName": f"{match['modality'].title()} {name}", "Description": text}
        if levels:
            entry["Levels"] = levels
        if column.endswith("_s"):
            entry["Units"] = "s"
        return entry
    entry = {"LongName": column.replace("_", " ").capitalize(),
             "Description": f"Column {column!r} of the {task} task's trial log (see the task's documentation)."}
    if column.endswith("_s"):
        entry["Units"] = "s"
    return entry
