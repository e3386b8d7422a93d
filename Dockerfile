# mlprov command-line image: every action, from the installed package alone (rules, Control Tower rules, the
# cfn-guard binary for the image's architecture), checkov in its own virtualenv, node 20, git.
#   docker build -t mlprov .                       (docker buildx build --platform linux/arm64 ... for aarch64)
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work mlprov gate
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" -w /work -e MLPROV_REPORTS_DIR=/work/reports mlprov gate
# Writes go only to MLPROV_STATE_DIR (default /tmp/mlprov: reports, caches, HOME); docker/entrypoint.sh.
FROM node:20-slim AS node

FROM python:3.11-slim

ARG TARGETARCH
ARG CHECKOV_VERSION=3.3.30

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# git: changed-products reads the repository history; safe.directory: the mount belongs to another uid
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system safe.directory '*'

# node 20 and npm from the official node image (Debian bookworm's nodejs is 18)
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && node --version | grep -q '^v20\.'

WORKDIR /opt/mlprov/src

COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# the package's build hook (setup.py) copies rules/guard, the Control Tower rules and the cfn-guard binary of
# TARGETARCH (amd64 -> x86_64, arm64 -> aarch64) into the installed package; the sources are removed after
COPY pyproject.toml setup.py README.md ./
COPY generator ./generator
COPY rules ./rules
COPY docker/entrypoint.sh /usr/local/bin/mlprov-entrypoint
RUN case "${TARGETARCH:-amd64}" in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; esac \
 && MLPROV_GUARD_ARCHES="$arch" pip install --no-cache-dir . \
 && python -m venv /opt/checkov \
 && /opt/checkov/bin/pip install --no-cache-dir "checkov==${CHECKOV_VERSION}" \
 && mlprov-entrypoint --help >/dev/null \
 && cd / && rm -rf /opt/mlprov/src /tmp/mlprov

ENV MLPROV_CHECKOV=/opt/checkov/bin/checkov \
    MLPROV_STATE_DIR=/tmp/mlprov

USER 10001
WORKDIR /work

ENTRYPOINT ["mlprov-entrypoint"]
CMD ["--help"]
