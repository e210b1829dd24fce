# config.yaml beside adapter.py is the provider registry the adapter actually reads in this image:
# without it every third-party model silently routes to anthropic-oauth.
# claude_sdk_executor.py sits in /app so it shadows the same-named module older runtimes shipped.
COPY adapter.py __init__.py config.yaml claude_sdk_executor.py /app/
# The runtime imports ADAPTER_MODULE; /app on PYTHONPATH makes that work without the platform injecting it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app
