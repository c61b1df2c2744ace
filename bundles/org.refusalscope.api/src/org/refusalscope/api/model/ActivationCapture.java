package org.refusalscope.api.model;

/** Asks a forward pass to return the activations at one hook point of one layer. */
public record ActivationCapture(int layer, HookPoint hook) {

	public static ActivationCapture residPost(int layer) {
		return new ActivationCapture(layer, HookPoint.RESID_POST);
	}
}
