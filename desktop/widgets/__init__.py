"""Small reusable widgets of the desktop app (each styled by objectName from the QSS themes)."""
