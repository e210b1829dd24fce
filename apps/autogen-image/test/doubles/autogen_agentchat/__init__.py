"""Test double of the `autogen_agentchat` package, pip autogen-agentchat (PyPI is out of reach here)."""
