package org.refusalscope.api.sae;

/**
 * @param dModel expected d_in (the model's hidden size), or 0 to skip the check
 * @param layer  layer to assign when the files do not say it (Gemma Scope outside its conventional path), or -1
 */
public record SaeLoadOptions(int dModel, int layer) {

	public static SaeLoadOptions defaults() {
		return new SaeLoadOptions(0, -1);
	}
}
