"""A password hasher that counts how often it hashes (tests/config/test_sign_in.py)."""

from django.contrib.auth.hashers import MD5PasswordHasher


class CountingMD5PasswordHasher(MD5PasswordHasher):
    # The same algorithm name: it reads the MD5 hashes the test personas were created with.
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)
