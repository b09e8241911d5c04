"""The PyTorch Dataset reads what `synthbench generate` writes: boxes, labels, depth, masks."""
import json

import numpy as np
import pytest
import torch

from synthref import data


def test_length_boxes_and_labels_match_the_annotations(small_dataset):
    ds = data.SynthBenchDataset(small_dataset)
    coco = json.loads((small_dataset / "annotations.json").read_text())
    assert len(ds) == len(coco["images"]) == 24
    total = 0
    for i in range(len(ds)):
        image, target = ds[i]
        assert image.shape == (3, 72, 96) and image.dtype == torch.float32
        assert 0.0 <= float(image.min()) and float(image.max()) <= 1.0
        anns = [a for a in coco["annotations"] if a["image_id"] == target["image_id"]]
        assert target["boxes"].shape == (len(anns), 4)
        for box, a in zip(target["boxes"].tolist(), anns):
            x, y, w, h = a["bbox"]
            assert box == pytest.approx([x, y, x + w, y + h])
        assert target["labels"].tolist() == [a["category_id"] for a in anns]
        assert set(target["labels"].tolist()) <= {1, 2, 3, 4}
        total += len(anns)
    assert total > 0


def test_masks_are_the_instances_of_the_mask_png_and_fit_their_boxes(small_dataset):
    ds = data.SynthBenchDataset(small_dataset, masks=True)
    checked = 0
    for i in range(len(ds)):
        _, t = ds[i]
        assert t["masks"].shape[0] == len(t["boxes"])
        for m, box, area in zip(t["masks"], t["boxes"], t["area"]):
            ys, xs = np.nonzero(m.numpy())
            assert len(xs) == int(area)
            assert [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] == pytest.approx(box.tolist())
            checked += 1
    assert checked > 0


def test_depth_is_in_metres_and_plausible(small_dataset):
    ds = data.SynthBenchDataset(small_dataset, depth=True)
    _, t = ds[0]
    d = t["depth"]
    assert d.shape == (1, 72, 96)
    hit = d[d > 0]
    assert len(hit) > 0.5 * d.numel()
    # cameras are 1.2-3.0 m from the objects: the scene lies within tens of metres, not millimetres
    assert 0.1 < float(hit.median()) < 50.0


def test_preload_matches_item_by_item(small_dataset):
    ds = data.SynthBenchDataset(small_dataset)
    images, targets = data.preload(ds, threads=2)
    assert images.shape == (24, 3, 72, 96) and images.dtype == torch.uint8
    image, target = ds[5]
    assert torch.equal(images[5].float() / 255.0, image)
    assert torch.equal(targets[5]["boxes"], target["boxes"])


def test_file_names_leaving_the_dataset_are_refused(tmp_path):
    coco = {"images": [{"id": 1, "file_name": "../outside.png", "width": 4, "height": 4}], "annotations": [],
            "categories": [{"id": 1, "name": "box"}]}
    (tmp_path / "gt.json").write_text(json.dumps(coco))
    ds = data.CocoDetection(tmp_path / "gt.json")
    with pytest.raises(ValueError, match="leaves"):
        ds.image_path(0)
