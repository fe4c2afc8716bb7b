# The browser fixtures live in tests/browser_support.py, shared by every app's browser tests.
