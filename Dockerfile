# mlprov command-line image: the package, and cfn-guard (with the Control Tower rules) from the pinned npm lock.
#   docker build -t mlprov .
#   docker run --rm -v "$PWD:/work" -w /work mlprov gate
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# git: changed-products reads the repository history; nodejs/npm: the pinned cfn-guard package
RUN apt-get update \
 && apt-get install -y --no-install-recommends git nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/mlprov

COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

COPY pyproject.toml README.md ./
COPY generator ./generator
RUN pip install --no-cache-dir .

ENV MLPROV_CFN_GUARD=/opt/mlprov/node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin mlprov
USER mlprov
WORKDIR /work

ENTRYPOINT ["mlprov"]
CMD ["--help"]
