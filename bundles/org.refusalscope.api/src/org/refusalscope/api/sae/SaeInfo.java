package org.refusalscope.api.sae;

import java.nio.file.Path;

import org.refusalscope.api.model.HookPoint;

/**
 * Metadata of one SAE.
 *
 * @param id            stable id, e.g. {@code gemma-scope-2b-pt-res/layer_12/width_16k/average_l0_82}
 * @param format        provider id that read it ({@code gemmascope}, {@code llamascope}, {@code saelens})
 * @param layer         0-based block index it reads
 * @param hook          hook point it reads and edits
 * @param dIn           d_model
 * @param dSae          number of latents
 * @param architecture  encoder activation
 * @param source        the file or folder it came from
 * @param neuronpediaId Neuronpedia model/source id such as {@code gemma-2-2b/12-gemmascope-res-16k}, or null
 */
public record SaeInfo(String id, String format, int layer, HookPoint hook, int dIn, int dSae,
		SaeArchitecture architecture, Path source, String neuronpediaId) {

	/** Stable link to a latent's Neuronpedia page, or null when the SAE is not published there. */
	public String neuronpediaUrl(int feature) {
		return neuronpediaId == null ? null : "https://www.neuronpedia.org/" + neuronpediaId + "/" + feature;
	}
}
