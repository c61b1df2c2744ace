package org.refusalscope.ui.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Links a feature to its Neuronpedia page when the run's SAE is a published release Neuronpedia serves: Gemma Scope
 * residual SAEs of Gemma-2-2B (16k/65k; Neuronpedia shows the PT SAEs on the IT model too) and Llama Scope
 * residual 8x SAEs of Llama-3.1-8B. The project's own SAEs (default model) have no page.
 */
public final class NeuronpediaLinks {

	private static final String SITE = "https://www.neuronpedia.org/";

	private NeuronpediaLinks() {
	}

	/** The page of {@code layer/feature} for the first recognised SAE id of the run, if any. */
	public static Optional<String> url(List<String> saes, int layer, int feature) {
		if(saes == null) {
			return Optional.empty();
		}
		for(String sae : saes) {
			Optional<String> source = source(sae, layer);
			if(source.isPresent()) {
				return Optional.of(SITE + source.get() + "/" + feature);
			}
		}
		return Optional.empty();
	}

	/** Neuronpedia's "model/source" path for one SAE id or location. */
	static Optional<String> source(String sae, int layer) {
		String id = sae.toLowerCase(Locale.ROOT);
		if(id.contains("gemma-scope-2b-pt-res") || id.contains("gemmascope-res")) {
			String width = id.contains("16k") ? "16k" : id.contains("65k") ? "65k" : null;
			return width == null ? Optional.empty() : Optional.of("gemma-2-2b/" + layer + "-gemmascope-res-" + width);
		}
		if(id.contains("llama_scope_lxr_8x") || id.contains("llama3_1-8b-base-l") && id.contains("r-8x")) {
			return Optional.of("llama3.1-8b/" + layer + "-llamascope-res-32k");
		}
		return Optional.empty();
	}
}
