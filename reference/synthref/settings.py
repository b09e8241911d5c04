"""The experiment's fixed settings, chosen before any result was seen. `SMOKE` runs the same code paths on
a few dozen frames and a few training steps (CI, no GPU)."""
from dataclasses import dataclass, field, asdict


@dataclass(frozen=True)
class Settings:
    name: str
    # synthetic datasets: frames and seeds (none, light and full share the training seed: same layouts)
    train_frames: int = 10_000
    val_frames: int = 500
    test_frames: int = 1_000
    train_seed: int = 1001
    val_seed: int = 2002
    test_seed: int = 3003
    # target domain (MuJoCo work cell)
    target_seed: int = 4004
    target: dict = field(default_factory=lambda: {"train": 10_000, "finetune": 1_000, "val": 500, "test": 1_000})
    # training (one recipe)
    epochs: int = 6
    batch: int = 32
    lr: float = 2e-4
    warmup: int = 300
    finetune_epochs: int = 10
    finetune_lr: float = 1e-4
    finetune_warmup: int = 30
    train_seed_torch: int = 7
    threads: int = 8
    # a held-out AP50 of 0 after this epoch counts as a collapsed run (0: only non-finite loss and degenerate boxes)
    collapse_after: int = 1
    generate_lanes: int = 0  # 0: synthbench's default (every core)

    def as_dict(self):
        return asdict(self)


FULL = Settings(name="full")
SMOKE = Settings(name="smoke", train_frames=8, val_frames=4, test_frames=4,
                 target={"train": 8, "finetune": 4, "val": 4, "test": 4},
                 epochs=2, batch=2, warmup=2, finetune_epochs=2, finetune_warmup=1, threads=2, collapse_after=0)

MODELS = ["none", "light", "full", "scratch", "finetuned"]
PRESETS = ["none", "light", "full"]
