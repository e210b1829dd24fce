"""Env projection and select(): what the chosen provider's credentials and endpoint become in the environment
the framework reads, and the one setup log line that names variables, never values."""

import os

from core_testkit import HOSTED, LOCAL, RULES, BaseAdapter, IsolatedAdapterTestCase, core, plugins_double, write

SECRET = "planted-secret-value-0123456789"


class Projection(IsolatedAdapterTestCase):
    def test_a_set_key_of_auth_env_is_copied_into_the_token_variable(self):
        os.environ["VENDOR_KEY"] = SECRET
        self.assertEqual(core.project_env(HOSTED, RULES), (("VENDOR_KEY", "HOSTED_KEY"), None))
        self.assertEqual(os.environ["HOSTED_KEY"], SECRET)

    def test_an_operators_token_is_never_overwritten(self):
        os.environ.update(VENDOR_KEY=SECRET, HOSTED_KEY="operator")
        self.assertEqual(core.project_env(HOSTED, RULES)[0], None)
        self.assertEqual(os.environ["HOSTED_KEY"], "operator")

    def test_an_empty_token_variable_counts_as_unset(self):
        os.environ.update(VENDOR_KEY=f"  {SECRET}\n", HOSTED_KEY=" ")
        core.project_env(HOSTED, RULES)
        self.assertEqual(os.environ["HOSTED_KEY"], SECRET)

    def test_copyable_keys_limit_what_may_be_copied(self):
        rules = core.Rules(builtin=(), default_model="m", label="fw", copyable_keys=("OTHER",))
        os.environ["VENDOR_KEY"] = SECRET
        self.assertIsNone(core.project_env(HOSTED, rules)[0])
        self.assertNotIn("HOSTED_KEY", os.environ)

    def test_the_providers_base_url_is_exported_unless_the_operator_set_one(self):
        hosted = core.Provider("h", base_url="https://hosted.example/v1", base_url_env="FW_BASE_URL")
        self.assertEqual(core.project_env(hosted, RULES)[1], "https://hosted.example/v1")
        self.assertEqual(os.environ["FW_BASE_URL"], "https://hosted.example/v1")
        os.environ["FW_BASE_URL"] = "https://proxy.internal/x"
        self.assertEqual(core.project_env(hosted, RULES)[1], "https://proxy.internal/x")
        self.assertEqual(os.environ["FW_BASE_URL"], "https://proxy.internal/x")

    def test_no_base_url_leaves_the_variable_unset(self):
        self.assertEqual(core.project_env(LOCAL, RULES), (None, None))
        self.assertNotIn("FW_BASE_URL", os.environ)

    def test_a_provider_without_a_base_url_variable_still_reports_its_url(self):
        # For frameworks that take the endpoint as an argument rather than from the environment.
        self.assertEqual(core.project_env(core.Provider("p", base_url="https://h/x"), RULES), (None, "https://h/x"))
        self.assertEqual(os.environ.keys() - {"HOME"}, set())

    def test_an_explicit_environ_mapping_is_used_instead_of_the_process_environment(self):
        environ = {"VENDOR_KEY": SECRET}
        core.project_env(HOSTED, RULES, environ)
        self.assertEqual(environ["HOSTED_KEY"], SECRET)
        self.assertNotIn("HOSTED_KEY", os.environ)


class Select(IsolatedAdapterTestCase):
    def select(self, runtime_config=None, level="INFO"):
        with self.assertLogs(level=level) as logs:  # the root logger: every record, whoever logs it
            selection = core.select(str(self.configs), runtime_config or {}, RULES, log_names=("LOCAL_KEY",))
        return selection, [r.getMessage() for r in logs.records]

    def test_defaults_to_the_adapters_model_and_the_registry_order(self):
        write(self.configs / "config.yaml", "providers:\n  - name: cfg\n    model_aliases: [small]\n")
        selection, _ = self.select()
        self.assertEqual((selection.model, selection.provider.name), ("small", "cfg"))

    def test_one_log_line_names_model_provider_mode_host_and_set_variables(self):
        write(self.configs / "config.yaml", "providers:\n  - name: hosted\n    model_prefixes: [hx-]\n"
              "    base_url: https://api.hosted.example/v1\n    auth_env: [VENDOR_KEY, HOSTED_KEY]\n"
              "    auth_token_env: HOSTED_KEY\n")
        os.environ.update(MODEL="hx-2", VENDOR_KEY=SECRET, LOCAL_KEY=SECRET)
        selection, messages = self.select()
        [line] = [m for m in messages if m.startswith("fw setup:")]
        self.assertEqual(line, "fw setup: model=hx-2 provider=hosted auth_mode=key "
                               "base_url_host=api.hosted.example auth_set=[LOCAL_KEY,VENDOR_KEY,HOSTED_KEY] "
                               "copied=VENDOR_KEY->HOSTED_KEY")
        self.assertEqual(selection, core.Selection("hx-2", selection.provider, ("VENDOR_KEY", "HOSTED_KEY"),
                                                   "https://api.hosted.example/v1"))

    def test_a_planted_secret_never_appears_in_any_log_record(self):
        for var in ("VENDOR_KEY", "LOCAL_KEY", "HOSTED_KEY"):
            os.environ[var] = f"{SECRET}-{var}"
        os.environ["MODEL"] = "hx-1"
        _, messages = self.select(level="DEBUG")
        self.assertTrue(messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    def test_no_credentials_is_a_warning_that_says_what_to_set(self):
        os.environ["MODEL"] = "hx-1"
        _, messages = self.select()
        self.assertIn("provider hosted has no credentials: set one of HOSTED_KEY, VENDOR_KEY as a workspace secret",
                      messages)

    def test_credentials_present_means_no_warning(self):
        os.environ["LOCAL_KEY"] = SECRET
        with self.assertNoLogs(level="WARNING"):
            with self.assertLogs(level="INFO"):
                core.select(str(self.configs), {}, RULES)

    def test_the_adapters_registry_files_come_between_opt_adapter_and_the_config_path(self):
        beside = write(self.tmp / "app" / "config.yaml", "providers:\n  - name: beside\n")
        write(self.configs / "config.yaml", "providers:\n  - name: configs\n")
        with self.assertLogs(level="INFO"):
            self.assertEqual(core.select(str(self.configs), {}, RULES, (str(beside),)).provider.name, "beside")
            write(self.canonical, "providers:\n  - name: canonical\n")
            self.assertEqual(core.select(str(self.configs), {}, RULES, (str(beside),)).provider.name, "canonical")

    def test_an_unknown_configured_provider_names_the_registry_file(self):
        path = write(self.configs / "config.yaml", "providers:\n  - name: only\n")
        with self.assertRaises(core.ConfigError) as caught, self.assertLogs(level="INFO"):
            core.select(str(self.configs), {"provider": "nobody"}, RULES)
        self.assertIn(f"providers list in {path}", str(caught.exception))


class Helpers(IsolatedAdapterTestCase):
    def test_env_value_strips_and_treats_blank_as_unset(self):
        os.environ.update(A="  v ", B=" \t")
        self.assertEqual([core.env_value(n) for n in ("A", "B", "C")], ["v", None, None])

    def test_host_of(self):
        self.assertEqual([core.host_of(u) for u in ("https://api.x.io/a", None, "", "not a url")],
                         ["api.x.io", "", "", ""])

    def test_system_prompt_from_the_config_then_the_file_then_none(self):
        self.assertIsNone(core.system_prompt(self.config()))
        write(self.configs / "system-prompt.md", "You are the reviewer.\n")
        self.assertEqual(core.system_prompt(self.config()), "You are the reviewer.\n")
        self.assertEqual(core.system_prompt(self.config(system_prompt="inline")), "inline")

    async def test_plugins_load_from_the_config_path_and_plugins_dir_through_the_runtime(self):
        adapter = core_adapter()
        config = self.config()
        await core.install_plugins(adapter, config)
        os.environ["PLUGINS_DIR"] = str(self.tmp / "shared")
        await core.install_plugins(adapter, config)
        self.assertEqual(plugins_double.calls, [
            {"workspace_plugins_dir": str(self.configs / "plugins"), "shared_plugins_dir": "/plugins"},
            {"workspace_plugins_dir": str(self.configs / "plugins"), "shared_plugins_dir": str(self.tmp / "shared")},
        ])
        self.assertEqual([c for c, _ in adapter.installed_plugins], [config, config])


def core_adapter():
    class Minimal(BaseAdapter):
        name = display_name = description = staticmethod(lambda: "minimal")

        async def setup(self, config):
            pass

        async def create_executor(self, config):
            pass

    return Minimal()


class AdapterHelpers(IsolatedAdapterTestCase):
    """What every template's adapter calls instead of repeating it: its config schema and its kept Selection."""

    def test_model_schema_is_the_model_with_the_rules_default_and_required_env(self):
        self.assertEqual(core.model_schema(RULES, "a model id", ["LOCAL_KEY"]), {
            "model": {"type": "string", "description": "a model id", "default": RULES.default_model},
            "required_env": {"type": "array", "description": "Environment variables the workspace needs",
                             "default": ["LOCAL_KEY"]},
        })

    def test_selection_of_selects_once_and_keeps_it_until_setup_clears_it(self):
        class Adapter:
            selection = None

        adapter, config = Adapter(), self.config()
        write(self.configs / "config.yaml", "providers:\n  - name: first\n")
        with self.assertLogs(level="INFO"):
            chosen = core.selection_of(adapter, config, RULES)
        self.assertEqual(chosen.provider.name, "first")
        # Kept: a second call (create_executor after setup) does not read the registry again.
        write(self.configs / "config.yaml", "providers:\n  - name: second\n")
        self.assertIs(core.selection_of(adapter, config, RULES), chosen)
        adapter.selection = None
        with self.assertLogs(level="INFO"):
            self.assertEqual(core.selection_of(adapter, config, RULES).provider.name, "second")
