"""The start screens and the end summary fit the window: measured by the layout probe as they are drawn."""
import pytest

from cogtrain.config import DisplaySettings, KeySettings
from cogtrain.layoutview import LayoutProbe
from cogtrain.startview import dialog, menu
from cogtrain.text import available, load

pytestmark = pytest.mark.gui

#: The longest texts each screen may get: a continued session, long IDs, many participants.
START_LINES = "Session 25\nLast session 365 days ago\nWe continue where you stopped last time."
IDS = [f"Participant{i:02d}x{'9' * 8}" for i in range(23)]


@pytest.fixture(scope="module", params=[(800, 600), (1280, 720), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def frontend(request, tmp_path_factory):
    """A window of each size, in large print as the chooser opens."""
    from cogtrain.window import WindowFrontend

    fe = WindowFrontend(DisplaySettings(preset="large_print", fullscreen=False, size=request.param), KeySettings(),
                        windowed=True, screenshots=tmp_path_factory.mktemp("shots"), refresh_probe=None)
    yield fe
    fe.close()


def press(fe, *keys):
    """Press ``keys`` through the keyboard device shortly after the screen starts."""
    for i, key in enumerate(keys):
        fe.keys.schedule(key, fe.clock.now() + 0.2 + 0.1 * i)


@pytest.mark.parametrize("language", available())
def test_start_screens_fit_and_answer_keys(frontend, language):
    frontend.catalogue = load(language)
    frontend.keys._scheduled.clear()
    text = frontend.catalogue.text
    with LayoutProbe(frontend) as probe:
        press(frontend, "space")
        assert menu(frontend, START_LINES, [text("start.start"), text("start.not_now")], "start", preselect=0) == 0
        press(frontend, "pagedown", "2", "space")
        chosen = menu(frontend, text("start.who"), IDS, "chooser")
        fields = [(text("start.participant"), IDS), (text("start.session_field"),
                                                     [text("start.continue_or_next"), text("start.new_session")]),
                  (text("start.battery"), [text("start.enrolled")])]
        press(frontend, "down", "right", "return")
        answer = dialog(frontend, text("start.dialog_title"), fields, "researcher", note=text("start.dialog_note"))
        press(frontend, "space", "space", "space")  # a summary too long for one page is paged
        frontend.show_summary("\n".join([text("session.end", number=25), ""]
                                        + [text("session.level_down", task=f"Task {i}", today=3, before=4)
                                           for i in range(4)]
                                        + [text("session.level_direction"), "",
                                           text("session.sessions_done_of", done=25, planned=24),
                                           text("session.thanks")]), "end")
    assert answer == [0, 1, 0]
    assert {"start", "chooser_1", "chooser_2", "researcher", "end"} <= probe.screens
    assert chosen > 2  # the second button of the second page
    assert probe.report() == []
