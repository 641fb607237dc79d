"""The app's pages: setup, interview, report, history and settings (one module each)."""
