"""compose.yml runs every component from one image, healthy, limited, and configured by .env."""

from __future__ import annotations

from typing import Any

import pytest

from ops.components import COMPONENTS
from tests.unit.deploy.files import (
    CONTRACT_VARIABLES,
    env_example,
    env_example_names,
    interpolated,
    load,
    read_by_code,
)

INFRASTRUCTURE = ("postgres", "redis", "kafka")
ONE_SHOTS = ("setup", "topics")
HEALTHY_OR_DONE = {"service_healthy", "service_completed_successfully"}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = load("compose.yml")
    return dict(compose["services"])


def test_every_component_and_service_is_there(services: dict[str, Any]) -> None:
    """One service per component, the three servers, and the two one-shot steps."""
    assert set(services) == {*COMPONENTS, *INFRASTRUCTURE, *ONE_SHOTS}


def test_components_share_one_image_and_mount_no_code(services: dict[str, Any]) -> None:
    """Every component runs `lunch serve <component>` from the same image, no bind mounts."""
    images = {services[name]["image"] for name in (*COMPONENTS, "setup")}
    assert len(images) == 1
    for name in COMPONENTS:
        assert services[name]["command"] == [name]
        assert services[name]["build"]["dockerfile"] == "ops/Dockerfile"
        assert "volumes" not in services[name], name


def test_long_running_services_have_health_checks_restarts_and_limits(
    services: dict[str, Any],
) -> None:
    """Servers and components: a health check, a restart policy, CPU and memory limits."""
    for name in (*INFRASTRUCTURE, *COMPONENTS):
        service = services[name]
        check = service["healthcheck"]
        assert not check.get("disable"), name
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service["restart"] == "unless-stopped", name
        limits = service["deploy"]["resources"]["limits"]
        assert float(limits["cpus"]) > 0, name
        assert limits["memory"].endswith(("M", "G")), name


def test_one_shot_steps_run_once(services: dict[str, Any]) -> None:
    """Setup and topic creation run to completion and are not restarted."""
    for name in ONE_SHOTS:
        assert services[name]["restart"] == "no"
    assert services["setup"]["entrypoint"] == ["lunch"]


def test_components_wait_for_healthy_servers_and_finished_setup(
    services: dict[str, Any],
) -> None:
    """Components start after the servers are healthy and setup and topics have finished."""
    for name in COMPONENTS:
        depends = services[name]["depends_on"]
        assert {dep["condition"] for dep in depends.values()} <= HEALTHY_OR_DONE
        for server in INFRASTRUCTURE:
            assert depends[server]["condition"] == "service_healthy", name
        for step in ONE_SHOTS:
            assert depends[step]["condition"] == "service_completed_successfully", name


def test_pinned_server_versions(services: dict[str, Any]) -> None:
    """PostgreSQL 17, Redis 7 and a pinned Apache Kafka tag (KRaft, no ZooKeeper)."""
    assert services["postgres"]["image"].startswith("postgres:17")
    assert services["redis"]["image"].startswith("redis:7")
    kafka = services["kafka"]
    repository, _, tag = kafka["image"].partition(":")
    assert repository == "apache/kafka"
    assert tag[0].isdigit()
    assert "broker,controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]
    assert "zookeeper" not in services


def test_topics_are_created_with_the_configured_partitions(services: dict[str, Any]) -> None:
    """The topics step creates <prefix>.events with KAFKA_PARTITIONS partitions."""
    command = services["topics"]["command"]
    assert command[command.index("--partitions") + 1].startswith("${KAFKA_PARTITIONS")
    assert command[command.index("--topic") + 1].endswith(".events")
    assert "--if-not-exists" in command


def test_data_lives_in_named_volumes(services: dict[str, Any]) -> None:
    """Each server keeps its data in a named volume declared at the top level."""
    declared = set(load("compose.yml")["volumes"])
    for name in INFRASTRUCTURE:
        (volume,) = services[name]["volumes"]
        assert volume.split(":")[0] in declared


@pytest.mark.parametrize("compose_file", ["compose.yml", "compose.observability.yml"])
def test_every_substituted_variable_is_in_env_example(compose_file: str) -> None:
    """Each `${VAR}` compose reads from .env is listed in .env.example."""
    missing = interpolated(compose_file) - env_example_names()
    assert not missing


def test_component_environment_is_read_by_the_code(services: dict[str, Any]) -> None:
    """Every variable compose passes to a component is one the code reads."""
    for name in (*COMPONENTS, "setup"):
        unread = {key for key in services[name]["environment"] if not read_by_code(key)}
        assert not unread, name


def test_env_example_documents_the_contract() -> None:
    """Every variable of CONTRACT.md's environment is named in .env.example."""
    text = env_example()
    assert [name for name in CONTRACT_VARIABLES if name not in text] == []


def test_env_example_holds_nothing_unused() -> None:
    """Each variable set in .env.example is read by compose or by the code."""
    used = interpolated("compose.yml") | interpolated("compose.observability.yml")
    unused = {name for name in env_example_names() if name not in used and not read_by_code(name)}
    assert not unused


def test_env_example_holds_no_secret() -> None:
    """Secrets are left empty in .env.example, and .env itself is ignored by git."""
    values = dict(
        line.split("=", 1) for line in env_example().splitlines() if line and line[0] != "#"
    )
    for secret in ("JWT_SECRET", "POSTGRES_PASSWORD", "TELEGRAM_BOT_TOKEN", "GEMINI_API_KEYS"):
        assert values[secret] == "", secret
    from tests.unit.deploy.files import ROOT

    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
