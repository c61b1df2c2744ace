package org.refusalscope.sae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;

/** Chooses the SAE provider for what is on disk and loads through it. */
public final class SaeProviders {

	private SaeProviders() {
	}

	/** The provider that recognises {@code location}; fails listing the providers tried. */
	public static SaeProvider choose(Collection<? extends SaeProvider> providers, Path location) throws IOException {
		if(!Files.exists(location)) {
			throw new IOException(location + ": no such SAE file or folder");
		}
		List<String> tried = new ArrayList<>();
		for(SaeProvider provider : providers.stream().sorted(Comparator.comparing(SaeProvider::id)).toList()) {
			if(provider.canLoad(location)) {
				return provider;
			}
			tried.add(provider.id());
		}
		throw new IOException(location + ": not a known SAE layout (providers tried: " + tried
				+ "; expected params.npz, hyperparams.json + checkpoints/final.safetensors, or cfg.json + sae_weights.safetensors)");
	}

	public static List<SparseAutoencoder> load(Collection<? extends SaeProvider> providers, Path location,
			SaeLoadOptions options) throws IOException {
		return choose(providers, location).load(location, options);
	}

	/** The SAE for {@code layer} among several, or the only one when {@code layer} is -1. */
	public static SparseAutoencoder forLayer(List<SparseAutoencoder> saes, int layer, Path location) throws IOException {
		if(layer < 0) {
			if(saes.size() != 1) {
				throw new IOException(location + " holds SAEs for " + saes.size() + " layers; choose one with --sae-layer");
			}
			return saes.get(0);
		}
		for(SparseAutoencoder sae : saes) {
			if(sae.info().layer() == layer) {
				return sae;
			}
		}
		throw new IOException(location + " holds no SAE for layer " + layer + " (layers: "
				+ saes.stream().map(s -> s.info().layer()).toList() + ")");
	}
}
