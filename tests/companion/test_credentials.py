"""The per-install token and one-time pairing codes (companion/credentials.py)."""

from __future__ import annotations

import stat

from companion.credentials import (
    PAIRING_TTL_SECONDS,
    create_pairing_code,
    load_or_create_token,
    redeem_pairing_code,
)


def test_token_is_created_once_with_user_only_permissions(tmp_path):
    token = load_or_create_token(tmp_path)
    assert len(token) >= 32
    assert load_or_create_token(tmp_path) == token
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600


def test_two_installs_get_different_tokens(tmp_path):
    assert load_or_create_token(tmp_path / "a") != load_or_create_token(tmp_path / "b")


def test_pairing_code_works_exactly_once(tmp_path):
    code = create_pairing_code(tmp_path)
    assert redeem_pairing_code(tmp_path, code) is True
    assert redeem_pairing_code(tmp_path, code) is False


def test_pairing_code_expires(tmp_path):
    code = create_pairing_code(tmp_path, now=1000.0)
    assert redeem_pairing_code(tmp_path, code, now=1000.0 + PAIRING_TTL_SECONDS + 1) is False


def test_unknown_pairing_code_is_refused_and_keeps_valid_ones(tmp_path):
    code = create_pairing_code(tmp_path)
    assert redeem_pairing_code(tmp_path, "not-a-real-code") is False
    assert redeem_pairing_code(tmp_path, code) is True
