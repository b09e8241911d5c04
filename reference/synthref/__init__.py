"""SynthBench's reference experiment: train detectors on SynthBench data and grade the chapter's claims."""
