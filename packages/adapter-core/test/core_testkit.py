"""adapter-core's own test kit: the shared one in support/ (what every adapter's tests import), and the rules of
an imaginary framework, with names no real adapter uses, so a test passes only if the module takes them from the
Rules it is given and bakes in none of its own."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import core  # noqa: E402

# The imaginary framework: two built-ins, an alias, its own defaults and prefix.

LOCAL = core.Provider("local", auth_mode="open", model_aliases=("small", "large"), auth_env=("LOCAL_KEY",),
                      auth_token_env="LOCAL_KEY", base_url_env="FW_BASE_URL")
HOSTED = core.Provider("hosted", auth_mode="key", model_prefixes=("hx-",), auth_env=("HOSTED_KEY", "VENDOR_KEY"),
                       auth_token_env="HOSTED_KEY", base_url_env="FW_BASE_URL")

RULES = core.Rules(
    builtin=(LOCAL, HOSTED),
    default_model="small",
    label="fw",
    aliases={"default": "local"},
    default_auth_mode="key",
    default_token_env="FW_TOKEN",
    default_base_url_env="FW_BASE_URL",
    strip_model_prefixes=("fw:",),
)
