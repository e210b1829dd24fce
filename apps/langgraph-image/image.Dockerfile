# The langgraph adapter, this template's own: the module ADAPTER_MODULE names, with the Adapter the runtime loads.
COPY adapter.py __init__.py /app/
# The runtime imports ADAPTER_MODULE; /app on PYTHONPATH makes that work without the platform injecting it.
ENV ADAPTER_MODULE=adapter \
    PYTHONPATH=/app
