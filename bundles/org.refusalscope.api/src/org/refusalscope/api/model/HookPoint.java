package org.refusalscope.api.model;

/**
 * Places in a block where activations are read or edited, named as in TransformerLens
 * ({@code blocks.L.hook_resid_pre} etc.). {@code RESID_PRE} of layer L is the input of block L, {@code RESID_POST}
 * its output; {@code ATTN_OUT} and {@code MLP_OUT} are the outputs of the attention and MLP sub-layers that are
 * added to the residual stream (after Gemma-2's post-norms).
 */
public enum HookPoint {
	RESID_PRE("hook_resid_pre"),
	ATTN_OUT("hook_attn_out"),
	MLP_OUT("hook_mlp_out"),
	RESID_POST("hook_resid_post");

	private final String transformerLensName;

	HookPoint(String transformerLensName) {
		this.transformerLensName = transformerLensName;
	}

	/** {@code blocks.<layer>.hook_resid_post} style name. */
	public String hookName(int layer) {
		return "blocks." + layer + "." + transformerLensName;
	}

	/** Parses a TransformerLens hook name such as {@code blocks.12.hook_resid_post}; returns null if not one. */
	public static HookPoint fromHookName(String hookName) {
		for(HookPoint point : values()) {
			if(hookName != null && hookName.endsWith("." + point.transformerLensName)) {
				return point;
			}
		}
		return null;
	}

	/** Parses the layer of a TransformerLens hook name, or -1. */
	public static int layerOf(String hookName) {
		if(hookName == null || !hookName.startsWith("blocks.")) {
			return -1;
		}
		String rest = hookName.substring("blocks.".length());
		int dot = rest.indexOf('.');
		try {
			return Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot));
		} catch(NumberFormatException e) {
			return -1;
		}
	}
}
