# A grant of root to uid 1000, on purpose (tier-4 workspaces): see layer.json "grants".
# The drop-in is a file of this layer so its tests run the same bytes through visudo. It enters through /tmp/ as
# the RUN's input and is installed 0440 there (git cannot record 0440; the legacy builder has no COPY --chmod), so
# the image stores it once, and the composer keeps this whole step with the install steps: an edit of any
# layer's files rebuilds after it, not through it. visudo -cf fails the build rather than ship a broken sudo.
COPY sudoers.d/agent-t4 /tmp/t4-escalation/agent-t4
# Empty: no docker-host group. Else the host docker group's gid (988 for codex, hermes and openclaw).
ARG DOCKER_HOST_GID=
# The originals run `groupadd -g 988 -f docker-host || true`: with -f, a gid already taken silently gives
# docker-host another gid, and `|| true` hides any failure, so agent could not use the host's socket and
# nothing said so. Here the group must end up with exactly that gid, or the build stops, naming both.
RUN set -eux; \
    install -D -m 0440 -o root -g root /tmp/t4-escalation/agent-t4 /etc/sudoers.d/agent-t4; \
    rm -rf /tmp/t4-escalation; \
    visudo -cf /etc/sudoers.d/agent-t4; \
    groupadd -f docker; \
    usermod -aG docker agent; \
    if [ -n "${DOCKER_HOST_GID}" ]; then \
        groupadd -f -g "${DOCKER_HOST_GID}" docker-host; \
        entry="$(getent group docker-host)"; \
        gid="${entry#*:*:}"; \
        gid="${gid%%:*}"; \
        if [ "${gid}" != "${DOCKER_HOST_GID}" ]; then \
            echo "t4-escalation: group docker-host has gid ${gid}, not DOCKER_HOST_GID=${DOCKER_HOST_GID} (gid ${DOCKER_HOST_GID} is $(getent group "${DOCKER_HOST_GID}" || echo 'free')): free that gid in the base or use another" >&2; \
            exit 1; \
        fi; \
        usermod -aG docker-host agent; \
    fi; \
    id agent
