package org.refusalscope.api.sae;

/** Activation function of an SAE encoder. */
public enum SaeArchitecture {
	/** {@code f = ReLU(pre)} (SAELens "standard"). */
	RELU,
	/** {@code f = ReLU(pre) * 1[pre > threshold]} with a per-latent threshold. */
	JUMPRELU,
	/** Keep the k largest pre-activations (after ReLU), zero the rest. */
	TOPK
}
