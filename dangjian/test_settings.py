"""Fast, deterministic settings for the test suite: immediate jobs, cheap hashing, no login lockout state."""

import os

os.environ["DANGJIAN_TESTING"] = "1"

from dangjian.settings import *  # noqa: F403

MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
WHITENOISE_USE_FINDERS = True  # serve static files from the apps in tests (no collectstatic)
WHITENOISE_AUTOREFRESH = True
