package org.refusalscope.api;

/**
 * One SAE latent: the 0-based block index of the SAE's layer and the latent's index in that SAE.
 */
public record FeatureRef(int layer, int feature) implements Comparable<FeatureRef> {

	public FeatureRef {
		if(layer < 0 || feature < 0) {
			throw new IllegalArgumentException("layer and feature must be >= 0, got " + layer + ":" + feature);
		}
	}

	/** Parses {@code "L:F"}, the notation of {@code --ablate}. */
	public static FeatureRef parse(String text) {
		String[] parts = text.trim().split(":");
		if(parts.length != 2) {
			throw new IllegalArgumentException("expected LAYER:FEATURE, got '" + text + "'");
		}
		try {
			return new FeatureRef(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
		} catch(NumberFormatException e) {
			throw new IllegalArgumentException("expected LAYER:FEATURE with integers, got '" + text + "'");
		}
	}

	@Override
	public int compareTo(FeatureRef other) {
		int byLayer = Integer.compare(layer, other.layer);
		return byLayer != 0 ? byLayer : Integer.compare(feature, other.feature);
	}

	@Override
	public String toString() {
		return layer + ":" + feature;
	}
}
