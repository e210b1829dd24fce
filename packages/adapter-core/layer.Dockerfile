# One copy of the shared adapter code, beside the template's adapter in /app: the adapter imports it by module
# name, so a routing fix lands in every image that lists this layer instead of in each template's copy.
COPY molecule_adapter_core.py /app/
