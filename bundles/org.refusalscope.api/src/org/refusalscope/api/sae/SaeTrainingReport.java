package org.refusalscope.api.sae;

import java.nio.file.Path;

/**
 * Outcome of {@link SaeTrainer#train}.
 *
 * @param output             the SAELens folder written (cfg.json + sae_weights.safetensors)
 * @param steps              optimiser steps done in total (including before a resume)
 * @param rowsSeen           activation rows processed in total
 * @param fve                fraction of variance explained on the last epoch's batches
 * @param meanL0             mean active latents per row on the last epoch's batches
 * @param deadFraction       latents that never fired during the last epoch
 * @param rowsPerSecond      training throughput of this call
 * @param resumedFromStep    step the run resumed from, 0 for a fresh run
 */
public record SaeTrainingReport(Path output, long steps, long rowsSeen, double fve, double meanL0, double deadFraction,
		double rowsPerSecond, long resumedFromStep) {
}
