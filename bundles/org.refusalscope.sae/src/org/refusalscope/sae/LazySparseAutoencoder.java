package org.refusalscope.sae;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * An SAE whose weights are mapped or read on the first {@link #weights()} call and then kept. Providers check
 * headers, shapes and the small tensors when they create it, so the lazy step only fails on I/O errors or on NaNs in
 * the large matrices; {@link SparseAutoencoder#weights()} declares no checked exception, so those arrive as an
 * {@link UncheckedIOException} whose message names the file and tensor.
 */
public final class LazySparseAutoencoder implements SparseAutoencoder {

	/** Maps or reads the weights; may throw an IOException naming file and tensor. */
	@FunctionalInterface
	public interface WeightsLoader {
		SaeWeights load() throws IOException;
	}

	private final SaeInfo info;
	private final WeightsLoader loader;
	private volatile SaeWeights weights;

	public LazySparseAutoencoder(SaeInfo info, WeightsLoader loader) {
		this.info = info;
		this.loader = loader;
	}

	@Override
	public SaeInfo info() {
		return info;
	}

	/** True once the weights were loaded (for tests and memory accounting). */
	public boolean isLoaded() {
		return weights != null;
	}

	@Override
	public SaeWeights weights() {
		SaeWeights loaded = weights;
		if(loaded == null) {
			synchronized(this) {
				loaded = weights;
				if(loaded == null) {
					try {
						loaded = loader.load();
					} catch(IOException e) {
						throw new UncheckedIOException(e.getMessage(), e);
					}
					weights = loaded;
				}
			}
		}
		return loaded;
	}

	@Override
	public String toString() {
		return info.id() + " (" + info.format() + ", layer " + info.layer() + ", " + info.dSae() + " latents)";
	}
}
