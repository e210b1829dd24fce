"""The bridge: each A2A message as one chat-completions request to the hermes gateway, replies and failures.
The gateway is out of reach here; StandInGateway (hermes_testkit) is a real HTTP server in its place."""

import os
import socket

from hermes_testkit import HermesTestCase, adapter, completion, plugins_double, run_turn

KEY = "api-server-key-planted-0123456789"


class Setup(HermesTestCase):
    async def test_setup_names_the_gateway_and_whether_the_key_is_set_never_its_value(self):
        os.environ["API_SERVER_KEY"] = KEY
        messages = await self.set_up(adapter.Adapter())
        self.assertIn(f"hermes setup: gateway={self.gateway.base} api_server_key=set", messages)
        self.assertNotIn(KEY, "\n".join(messages))

    async def test_without_hermes_api_base_the_image_default_is_used(self):
        del os.environ["HERMES_API_BASE"]
        messages = await self.set_up(adapter.Adapter())
        self.assertIn("hermes setup: gateway=http://127.0.0.1:8642/v1 api_server_key=unset", messages)

    async def test_plugins_load_through_the_runtime(self):
        await self.set_up(adapter.Adapter())
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])


class Turns(HermesTestCase):
    async def test_a_turn_posts_the_prompt_with_the_bearer_key_and_returns_the_reply(self):
        os.environ["API_SERVER_KEY"] = KEY
        executor = await self.executor()
        self.gateway.answers.append((200, completion("hello from hermes")))
        self.assertEqual(await run_turn(executor, "hi there", context_id="ctx-1"), "hello from hermes")
        [(path, headers, body)] = self.gateway.requests
        self.assertEqual(path, "/v1/chat/completions")
        self.assertEqual(headers["Authorization"], f"Bearer {KEY}")
        self.assertEqual(body, {"model": "nousresearch/hermes-4-70b", "stream": False,
                                "messages": [{"role": "user", "content": "hi there"}]})

    async def test_the_chosen_model_is_sent(self):
        os.environ["MODEL"] = "anthropic/claude-sonnet-4-5"
        executor = await self.executor()
        self.gateway.answers.append((200, completion("ok")))
        await run_turn(executor)
        self.assertEqual(self.gateway.requests[0][2]["model"], "anthropic/claude-sonnet-4-5")

    async def test_each_context_sends_its_own_earlier_turns(self):
        executor = await self.executor()
        self.gateway.answers.extend([(200, completion("one")), (200, completion("two")), (200, completion("x"))])
        await run_turn(executor, "first", context_id="a")
        await run_turn(executor, "second", context_id="a")
        await run_turn(executor, "other", context_id="b")
        sent = [body["messages"] for _, _, body in self.gateway.requests]
        self.assertEqual(sent[1], [{"role": "user", "content": "first"}, {"role": "assistant", "content": "one"},
                                   {"role": "user", "content": "second"}])
        self.assertEqual(sent[2], [{"role": "user", "content": "other"}])

    async def test_reply_content_as_text_blocks_is_joined(self):
        executor = await self.executor()
        self.gateway.answers.append((200, completion([{"type": "text", "text": "a "}, {"type": "text", "text": "b"}])))
        self.assertEqual(await run_turn(executor), "a b")

    async def test_without_a_key_no_authorization_header_is_sent_and_a_401_says_what_to_check(self):
        executor = await self.executor()
        self.gateway.answers.append((401, {"error": "invalid api key"}))
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertNotIn("Authorization", self.gateway.requests[0][1])
        self.assertIn("answered HTTP 401 (is API_SERVER_KEY the gateway's?)", reply)
        self.assertIn("invalid api key", reply)

    async def test_a_failed_turn_is_not_kept_in_the_context(self):
        executor = await self.executor()
        self.gateway.answers.extend([(500, b"boom"), (200, completion("fine"))])
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            self.assertIn("answered HTTP 500", await run_turn(executor, "lost", context_id="c"))
        await run_turn(executor, "kept", context_id="c")
        self.assertEqual(self.gateway.requests[1][2]["messages"], [{"role": "user", "content": "kept"}])

    async def test_an_answer_without_choices_or_not_json_is_an_error_reply(self):
        executor = await self.executor()
        self.gateway.answers.extend([(200, {"object": "error"}), (200, b"<html>")])
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            self.assertIn("without choices[0].message.content", await run_turn(executor))
            self.assertIn("not JSON", await run_turn(executor))

    async def test_a_gateway_that_is_not_running_is_an_error_reply_naming_it(self):
        # A port nothing listens on: bound, then closed.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        os.environ["HERMES_API_BASE"] = f"http://127.0.0.1:{port}/v1/"
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertIn(f"the hermes gateway at http://127.0.0.1:{port}/v1 cannot be reached", reply)
        self.assertIn("is `hermes gateway` running?", reply)

    async def test_the_key_never_appears_in_an_error_reply(self):
        os.environ["API_SERVER_KEY"] = KEY
        executor = await self.executor()
        self.gateway.answers.append((403, b"forbidden"))
        with self.assertLogs("molecule_adapter_core", "ERROR") as logs:
            reply = await run_turn(executor)
        self.assertNotIn(KEY, reply + "\n".join(r.getMessage() for r in logs.records))
