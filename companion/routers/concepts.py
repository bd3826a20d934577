"""`/api/v1/concepts/{id}`: read, rename and merge concepts (the user tidies the vocabulary)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from companion.journal import concepts as store
from companion.routers.deps import JournalDep

__all__ = ["ConceptMerge", "ConceptUpdate", "router"]

router = APIRouter(prefix="/api/v1/concepts", tags=["concepts"])


class ConceptUpdate(BaseModel):
    """A new label for a concept."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)


class ConceptMerge(BaseModel):
    """The concept to merge into."""

    model_config = ConfigDict(extra="forbid")

    into: int = Field(ge=1)


@router.get("/{concept_id}")
def get_concept(concept_id: int, journal: JournalDep) -> dict:
    """One concept with how many captures it links."""
    return store.get_concept(journal, concept_id)


@router.patch("/{concept_id}")
def rename_concept(concept_id: int, update: ConceptUpdate, journal: JournalDep) -> dict:
    """Rename a concept (its label; captures keep their link)."""
    return store.rename_concept(journal, concept_id, update.label)


@router.post("/{concept_id}/merge")
def merge_concept(concept_id: int, merge: ConceptMerge, journal: JournalDep) -> dict:
    """Merge this concept into another; later captures of it join the other one too."""
    return store.merge_concepts(journal, concept_id, merge.into)
