package org.refusalscope.api.sae;

import java.io.IOException;
import java.nio.file.Path;

import org.refusalscope.api.ProgressMonitor;

/**
 * Trains a sparse autoencoder on cached activations and saves it in SAELens format ({@code cfg.json} +
 * {@code sae_weights.safetensors}), so the SAELens provider and SAELens itself can read it. Registered as an OSGi
 * service by the engine bundle that implements it.
 */
public interface SaeTrainer {

	/** Short id, e.g. {@code djl}. */
	String id();

	/**
	 * Trains and writes the SAE to {@code outDir}; checkpoints go to {@code outDir/checkpoint} and are resumed from
	 * when {@link SaeTrainingSettings#resume()} is set. Progress and cancellation through {@code monitor}; a
	 * cancelled run keeps its last checkpoint.
	 */
	SaeTrainingReport train(ActivationChunks activations, SaeTrainingSettings settings, Path outDir,
			ProgressMonitor monitor) throws IOException;
}
