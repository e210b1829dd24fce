# A grant of root to uid 1000, on purpose (tier-4 workspaces): see layer.json "grants".
# The drop-in is a file of this layer so its tests run the same bytes through visudo; git cannot record
# mode 0440 and the legacy builder has no COPY --chmod, hence the chmod. visudo -cf fails the build
# rather than ship an image whose sudo is broken.
COPY sudoers.d/agent-t4 /etc/sudoers.d/agent-t4
# hadolint ignore=IL1002 # git cannot record mode 0440 and the legacy builder has no COPY --chmod (see above).
RUN set -eux; \
    chmod 0440 /etc/sudoers.d/agent-t4; \
    visudo -cf /etc/sudoers.d/agent-t4; \
    groupadd -f docker; \
    usermod -aG docker agent; \
    id agent
