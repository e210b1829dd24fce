# uid 1000 is part of the platform's contract: volumes and /configs/.auth_token are owned by it.
RUN useradd -u 1000 -m -s /bin/bash agent
