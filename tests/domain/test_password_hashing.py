"""Passwords are stored at full strength outside the tests (the suite lowers the work factor, see conftest)."""

import subprocess
import sys


def test_a_password_is_stored_with_scrypt_at_werkzeug_s_full_work_factor():
    code = "from planner.domain.accounts import hash_password; print(hash_password('een lang wachtwoord'))"
    stored = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    method, salt, digest = stored.split("$")
    assert method == "scrypt:32768:8:1" and len(salt) == 16 and len(digest) == 128

