"""Settings for the test suite: the base settings, environment and all
(so CI's DATABASE_URL / REDIS_URL still apply), with a fast password hasher.

PBKDF2 at Django's default strength takes most of a second per password on
the CI machine; the fixtures create a dozen users per test, so the real
hasher would spend minutes of the suite on hashing alone.
"""

from jingkai_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The demo's tests sign in as `make run` does (DEBUG on, the published password kept);
# tests/security/test_passwords.py turns this off to check the forced change.
DEMO_ACCOUNTS_KEEP_PASSWORD = True
