"""Participant-facing text: every shipped catalogue is complete, and the code only asks for texts they have."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from cogtrain.config import CHECKIN_TEXT, load_battery
from cogtrain.errors import CogtrainError, UsageError
from cogtrain.registry import all_tasks
from cogtrain.text import REFERENCE, Catalogue, TextError, available, flatten, load, placeholders

REPO = Path(__file__).resolve().parent.parent
#: Folders whose code shows text to participants.
CODE = [REPO / "cogtrain", REPO / "tasks"]
OTHERS = [language for language in available() if language != REFERENCE]


def forms(entry: str | dict[str, str]) -> list[str]:
    """The texts of an entry: itself, or its ``one`` and ``other`` forms."""
    return list(entry.values()) if isinstance(entry, dict) else [entry]


#: Functions that look texts up by keys from a table, with the table (checked on its own below).
KEYS_FROM_TABLES = {("cogtrain/session.py", "_question_text"): CHECKIN_TEXT}


def own_nodes(scope: ast.AST) -> list[ast.AST]:
    """Nodes of a module or function, without those of the functions and classes inside it."""
    found, todo = [], list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node)
            todo.extend(ast.iter_child_nodes(node))
    return found


def is_lookup(node: ast.AST, relative: str) -> bool:
    """Whether ``node`` is ``<...>catalogue.text`` (or ``self.text`` in the catalogue's own module)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "text"):
        return False
    owner = node.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return name == "catalogue" or (relative == "cogtrain/text/__init__.py" and name == "self")


def aliases(nodes: list[ast.AST], relative: str) -> set[str]:
    """Names bound to the lookup in a scope (``text = self.ctx.catalogue.text``, also in a tuple)."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple)
                         and isinstance(node.value, ast.Tuple) else [(target, node.value)])
                found |= {t.id for t, v in pairs if isinstance(t, ast.Name) and is_lookup(v, relative)}
    return found


def catalogue_calls() -> list[tuple[str, ast.Call]]:
    """``(where, call)`` of every ``<...>catalogue.text(...)`` call in the code, except in KEYS_FROM_TABLES.

    Calls through a local name for it (``text = self.ctx.catalogue.text``) count too.
    """
    calls = []
    for path in sorted(p for folder in CODE for p in folder.rglob("*.py")):
        relative = str(path.relative_to(REPO))
        for scope in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(scope, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                    or (relative, getattr(scope, "name", "")) in KEYS_FROM_TABLES:
                continue
            nodes = own_nodes(scope)
            local = aliases(nodes, relative)
            for node in nodes:
                if isinstance(node, ast.Call) and (is_lookup(node.func, relative) or (
                        isinstance(node.func, ast.Name) and node.func.id in local)):
                    calls.append((f"{relative}:{node.lineno}", node))
    return calls


def test_a_second_language_is_shipped() -> None:
    assert REFERENCE in available() and OTHERS


@pytest.mark.parametrize("language", OTHERS)
def test_every_catalogue_has_exactly_the_reference_keys(language: str) -> None:
    reference, other = load(REFERENCE).entries, load(language).entries
    assert sorted(set(reference) - set(other)) == [], f"missing from {language}.yaml"
    assert sorted(set(other) - set(reference)) == [], f"in {language}.yaml but not in {REFERENCE}.yaml"


@pytest.mark.parametrize("language", OTHERS)
def test_placeholders_and_counted_forms_agree_across_languages(language: str) -> None:
    reference, other = load(REFERENCE).entries, load(language).entries
    differ = []
    for key, entry in reference.items():
        if isinstance(entry, dict) != isinstance(other[key], dict):
            differ.append(f"{key}: counted in one catalogue only")
            continue
        wanted = set().union(*map(placeholders, forms(entry)))
        found = set().union(*map(placeholders, forms(other[key])))
        if wanted != found:
            differ.append(f"{key}: {sorted(wanted)} in {REFERENCE}, {sorted(found)} in {language}")
    assert differ == []


@pytest.mark.parametrize("language", available())
def test_no_text_is_empty_or_has_a_broken_placeholder(language: str) -> None:
    for key, entry in load(language).entries.items():
        for text in forms(entry):
            assert text.strip(), f"{language}.yaml: {key} is empty"
            placeholders(text)  # a stray brace raises ValueError here, not on a participant's screen


def test_every_key_the_code_asks_for_exists_with_its_placeholders() -> None:
    entries = load(REFERENCE).entries
    problems = []
    for where, call in catalogue_calls():
        first = call.args[0] if call.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            problems.append(f"{where}: the key is not written out (the tests cannot check it)")
            continue
        key = first.value
        if key not in entries:
            problems.append(f"{where}: no text {key!r} in {REFERENCE}.yaml")
            continue
        given = {k.arg for k in call.keywords}
        if None in given:  # **values: checked when the code runs
            continue
        wanted = set().union(*map(placeholders, forms(entries[key])))
        if isinstance(entries[key], dict):
            wanted |= {"n"}
        if given != wanted:
            problems.append(f"{where}: {key!r} takes {sorted(wanted)}, given {sorted(given)}")
    assert problems == []


def test_the_keys_of_tables_exist() -> None:
    entries = load(REFERENCE).entries
    assert [key for table in KEYS_FROM_TABLES.values() for keys in table.values() for key in keys
            if key and key not in entries] == []


def test_every_text_of_the_catalogue_is_used() -> None:
    used = {call.args[0].value for _, call in catalogue_calls()
            if call.args and isinstance(call.args[0], ast.Constant)}
    used |= {key for table in KEYS_FROM_TABLES.values() for keys in table.values() for key in keys if key}
    named = {key for key in load(REFERENCE).entries
             if key.startswith("keys.") or key.endswith(".title")}  # key_label and task_title
    assert sorted(set(load(REFERENCE).entries) - used - named) == []


@pytest.mark.parametrize("language", available())
def test_every_shipped_task_has_its_title_in_every_catalogue(language: str) -> None:
    shipped = {path.parent.name for path in (REPO / "tasks").glob("*/__init__.py")}
    assert shipped <= set(all_tasks())
    catalogue = load(language)
    assert [name for name in sorted(shipped) if f"{name}.title" not in catalogue.entries] == []


def test_a_text_is_filled_by_name_and_a_wrong_placeholder_fails_loudly() -> None:
    catalogue = Catalogue("xx", {"a.b": "block {number} of {blocks}", "a.n": {"one": "one word", "other": "{n} words"}})
    assert catalogue.text("a.b", number=2, blocks=6) == "block 2 of 6"
    assert [catalogue.text("a.n", n=n) for n in (1, 3)] == ["one word", "3 words"]
    with pytest.raises(TextError, match="takes \\['blocks', 'number'\\], given \\['number'\\]"):
        catalogue.text("a.b", number=2)
    with pytest.raises(TextError, match="given \\['blocks', 'extra', 'number'\\]"):
        catalogue.text("a.b", number=2, blocks=6, extra=1)
    with pytest.raises(TextError, match="no text 'a.c'"):
        catalogue.text("a.c")
    with pytest.raises(TextError, match="give n"):
        catalogue.text("a.n")


def test_a_malformed_catalogue_names_the_file_and_key(tmp_path: Path) -> None:
    with pytest.raises(TextError, match=re.escape(f"{tmp_path / 'xx.yaml'}: screens.continue: expected a text")):
        flatten({"screens": {"continue": 3}}, tmp_path / "xx.yaml")


def test_keys_are_written_as_the_catalogue_says() -> None:
    assert [load("en").key_label(k) for k in ("space", "return", "a", "f1")] == ["SPACE", "ENTER", "A", "F1"]
    assert load("de").key_label("space") == "LEERTASTE"


def test_a_battery_language_without_a_catalogue_is_a_config_error(fake_task, write_config) -> None:
    path = write_config("name: b\nlanguage: xx\ntasks:\n  - task: fake\n")
    with pytest.raises(CogtrainError) as caught:
        load_battery(path)
    message = str(caught.value)
    assert f"{path}: language: 'xx' is not valid" in message
    assert "cogtrain/text/xx.yaml" in message and f"available: {', '.join(available())}" in message


def test_an_unknown_language_is_refused_at_enrolment(fake_task, write_config, tmp_path: Path) -> None:
    from cogtrain.enrolment import enrol

    battery = write_config("name: b\ntasks:\n  - task: fake\n")
    with pytest.raises(UsageError, match=r"--language 'pt-BR': no catalogue cogtrain/text/pt-BR.yaml; available: "):
        enrol(tmp_path / "data", "P1", battery, language="pt-BR")


def test_an_enrolled_language_runs_the_session_in_that_language(fake_task, write_config, tmp_path: Path,
                                                                 monkeypatch) -> None:
    from cogtrain.cli import main
    from cogtrain.simulate import SimulatedFrontend

    battery = write_config("name: b\nplan: {weeks: 4}\ncheckin: {enabled: true}\ntasks:\n  - task: fake\n")
    assert main(["enrol", "P1", "--battery", str(battery), "--language", "de", "--data", str(tmp_path)]) == 0
    shown = []
    monkeypatch.setattr(SimulatedFrontend, "ask_choice",
                        lambda self, prompt, options, screen: shown.append((prompt, options)) or 0)
    assert main(["run", "--participant", "P1", "--simulate", "--data", str(tmp_path)]) == 0
    assert shown == [(load("de").text("checkin.ms_change"), ["Nein", "Ja"])]
    record = json.loads((tmp_path / "sub-P1" / "ses-001" / "session.json").read_text())
    assert record["config"]["language"] == "de"
    assert record["checkin"][0]["prompt"] == "Wie viele Stunden haben Sie letzte Nacht geschlafen?"


def test_an_enrolment_record_with_an_unknown_language_names_the_file(fake_task, write_config, tmp_path: Path,
                                                                      capsys) -> None:
    from cogtrain.cli import main
    from cogtrain.enrolment import RECORD_FILE

    battery = write_config("name: b\nplan: {weeks: 4}\ntasks:\n  - task: fake\n")
    assert main(["enrol", "P1", "--battery", str(battery), "--data", str(tmp_path)]) == 0
    record = tmp_path / "sub-P1" / RECORD_FILE
    record.write_text(record.read_text().replace('"language": null', '"language": "xx"'))
    assert main(["run", "--participant", "P1", "--simulate", "--data", str(tmp_path)]) == 1
    assert f"{record}: language: 'xx' has no catalogue cogtrain/text/xx.yaml; available: " in capsys.readouterr().err



#: Code that may show text to participants: the core modules (the window, the session runner, ...) and the
#: tasks (reports, analysis and study tools in the sub-packages speak to researchers).
PARTICIPANT_CODE = ["cogtrain/*.py", "tasks/*/*.py"]
#: Calls whose arguments a participant reads (``frontend.text(...)`` builds a stimulus; ``catalogue.text`` is a lookup).
SINKS = {"text", "footer", "show_message", "show_pages", "ask_rating", "ask_choice", "announce", "wait_until",
         "trial_feedback", "item_feedback", "say", "_Button"}
#: Functions whose results a participant reads.
SHOWN = re.compile(r"instructions|block_intro|block_feedback|.*_(text|texts|hint|line|parts|status)$")
#: Functions named like shown texts whose words no participant reads in the window, and why.
NOT_SHOWN = {"launcher_text": "the desktop file that 'cogtrain desktop-launcher' writes for the researcher"}
#: Words in a literal: two words, or a capitalised one ("Done.", "Skip"); names of screens and keys have neither.
WORDS = re.compile(r"[A-Za-z] +[A-Za-z]|^[A-Z][a-z]")


def shown_literals(source: str, relative: str = "") -> list[tuple[int, str]]:
    """``(line, text)`` of the string literals of ``source`` that reach a participant's screen."""
    tree = ast.parse(source)
    reached: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SINKS and not is_lookup(func, relative):
                reached += [*node.args, *(k.value for k in node.keywords if k.arg != "screen")]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "text"
                                                  for t in node.targets):
            reached.append(node.value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and SHOWN.fullmatch(node.name) \
                and node.name not in NOT_SHOWN:
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            reached += body
    local = aliases(list(ast.walk(tree)), relative)
    lookups = {id(n.args[0]) for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args
               and (is_lookup(n.func, relative) or isinstance(n.func, ast.Name) and n.func.id in local)}  # keys
    lookups |= {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys}  # reasons, not words
    for node in ast.walk(tree):  # errors and the options of other calls are for the researcher
        if isinstance(node, ast.Raise):
            lookups |= {id(n) for n in ast.walk(node)}
        elif isinstance(node, ast.Call) and not any(node is r for r in reached):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in SINKS:
                lookups |= {id(n) for k in node.keywords for n in ast.walk(k.value)}
    found = set()
    for root in reached:
        for node in ast.walk(root):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in lookups \
                    and WORDS.search(node.value):
                found.add((node.lineno, node.value))
    return sorted(found)


def test_no_participant_facing_words_are_written_in_the_code() -> None:
    files = sorted({path for pattern in PARTICIPANT_CODE for path in REPO.glob(pattern)})
    assert len(files) >= 40
    found = [f"{path.relative_to(REPO)}:{line}: {text!r}" for path in files
             for line, text in shown_literals(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert found == [], "move these texts to cogtrain/text/en.yaml (and every other catalogue)"


def test_the_check_sees_words_on_their_way_to_the_screen_but_not_keys_or_names() -> None:
    source = '''
def block_intro(self, block):
    """Docstring words."""
    return "Practice" if block.practice else self.catalogue.text("nback.block_intro", number=1)

def show(fe, text):
    fe.show_message(f"Press {key} to go on", screen="end")
    fe.footer(text("screens.continue"), height=0.7)
    stim.text = "Done."
    log.write({"phase": "delayed recall"})
'''
    assert [text for _, text in shown_literals(source)] == ["Practice", " to go on", "Press ", "Done."]
