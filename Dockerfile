# overparam on a Debian-based Swift image. It installs through the same script as
# README's commands (scripts/install-deps.sh) and builds release.
# Not built on the development machines (no Docker engine there): keep it in step
# with scripts/ by hand.
#
#   docker build -t overparam .
#   docker run --rm overparam bash scripts/run.sh
FROM swift:6.3-bookworm

WORKDIR /opt/overparam
COPY Package.swift ./
COPY scripts/install-deps.sh scripts/
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends python3 python3-pip \
    && bash scripts/install-deps.sh \
    && rm -rf /var/lib/apt/lists/*

COPY . .
RUN bash scripts/build.sh -c release --product overparam \
    && ln -s /opt/overparam/.build/release/overparam /usr/local/bin/overparam

# Open MPI refuses root unless told; containers usually run as root.
ENV OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
CMD ["overparam", "--help"]
