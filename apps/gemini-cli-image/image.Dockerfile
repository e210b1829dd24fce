# The Gemini CLI comes from the agent-cli layer (pinned in image.json, failing the build unless it installs and
# runs); the management MCP server's pre-bake from mcp-prebake; the runtime and /app from python-runtime; the
# entrypoint and its ENTRYPOINT from the entrypoint layer. What is left is this template's own adapter: adapter.py
# (what ADAPTER_MODULE names), __init__.py (package-style discovery) and cli_executor.py (the gemini subprocess),
# one COPY for the three, beside adapter-core's molecule_adapter_core.py in /app.
COPY adapter.py __init__.py cli_executor.py /app/
# The runtime imports the adapter module by this name; PYTHONPATH makes /app importable whatever the runtime's
# working folder, instead of relying on the platform to set it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app
