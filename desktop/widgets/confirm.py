"""Every confirmation in the app, worded one way: a question as the title, one sentence on
what happens, a button named for the action ("End interview", "Delete", "Quit") and
"Cancel". Cancel is the default, so Enter or Esc never destroys anything by accident (an
offer that destroys nothing, "Continue your interview?", may make its action the default).

The box is window-modal and opened with open(), never exec(): no nested event loop runs
inside an asyncio task. Custom buttons carry no style icons (some desktop styles put a red
"no entry" icon on a standard No/Cancel button).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

CANCEL = "Cancel"


class ConfirmBox(QMessageBox):
    """A QMessageBox with `action_button` and `cancel_button` (tests click them)."""

    action_button: QPushButton
    cancel_button: QPushButton


def confirm(parent: QWidget, title: str, text: str, action: str,
            on_confirm: Callable[[], None], *, destructive: bool = False,
            name: str = "Confirm", on_close: Callable[[], None] | None = None,
            cancel: str = CANCEL, default_action: bool = False) -> ConfirmBox:
    """Ask `title`; call on_confirm() only if the action button was pressed. on_close()
    runs whichever way the box closed. `cancel` renames Cancel only for an offer that
    destroys nothing ("Later")."""
    box = ConfirmBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(f"<b>{title}</b>")
    box.setInformativeText(text)
    box.action_button = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.cancel_button = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.action_button.setObjectName("DangerButton" if destructive else "PrimaryButton")
    box.action_button.setAccessibleName(action)
    box.cancel_button.setAccessibleName(cancel)
    box.setDefaultButton(box.action_button if default_action and not destructive
                         else box.cancel_button)
    box.setEscapeButton(box.cancel_button)

    def finished(_result: int) -> None:
        confirmed = box.clickedButton() is box.action_button
        box.deleteLater()
        if on_close is not None:
            on_close()
        if confirmed:
            on_confirm()

    box.finished.connect(finished)
    box.open()
    return box
