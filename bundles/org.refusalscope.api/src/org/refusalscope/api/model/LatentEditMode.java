package org.refusalscope.api.model;

/** How an SAE-latent edit changes the chosen latents. */
public enum LatentEditMode {
	/** {@code f_i <- 0}. */
	ZERO,
	/** {@code f_i <- c * f_i}. */
	SCALE,
	/** {@code f_i <- c}. */
	SET;

	/** Parses {@code zero}, {@code scale:C}, {@code set:C} into a mode; see {@link #parseValue(String)}. */
	public static LatentEditMode parse(String text) {
		String head = text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
		return switch(head.trim().toLowerCase()) {
			case "zero" -> ZERO;
			case "scale" -> SCALE;
			case "set" -> SET;
			default -> throw new IllegalArgumentException("ablation mode must be zero, scale:C or set:C, got '" + text + "'");
		};
	}

	/** The constant C of {@code scale:C} / {@code set:C}; 0 for {@code zero}. */
	public static float parseValue(String text) {
		LatentEditMode mode = parse(text);
		if(mode == ZERO) {
			return 0f;
		}
		int colon = text.indexOf(':');
		if(colon < 0) {
			throw new IllegalArgumentException("ablation mode " + text + " needs a constant, e.g. " + text + ":-3");
		}
		try {
			return Float.parseFloat(text.substring(colon + 1).trim());
		} catch(NumberFormatException e) {
			throw new IllegalArgumentException("ablation constant is not a number in '" + text + "'");
		}
	}
}
