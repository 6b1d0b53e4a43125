"""Vocabulary the search tests share: a tool and a topic with the synonyms learners type."""

from __future__ import annotations

import pytest

from tests.builders import make_tool, make_topic


@pytest.fixture
def kubernetes(db):
    return make_tool(name="Kubernetes", slug="kubernetes", category="orchestration", synonyms=["k8s", "kube"])


@pytest.fixture
def cicd(db):
    return make_topic(
        name="CI/CD for ML",
        slug="ci-cd-for-ml",
        synonyms=["continuous integration", "continuous delivery", "cicd"],
    )
