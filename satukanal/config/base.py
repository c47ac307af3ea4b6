"""What every section of the configuration file shares: unknown keys are refused, values never change."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
