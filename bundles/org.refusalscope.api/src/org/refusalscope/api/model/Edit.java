package org.refusalscope.api.model;

import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * One edit of the residual stream, executed by the backend inside its forward pass. Edits are data so that many
 * plans can be batched and compared; nothing here holds engine tensors.
 */
public sealed interface Edit permits Edit.AddVector, Edit.ProjectOut, Edit.LatentEdit, Edit.SaeReplace {

	/** Layer the edit applies at; {@link #ALL_LAYERS} for directional ablation at every layer. */
	int layer();

	HookPoint hook();

	PositionScope scope();

	int ALL_LAYERS = -1;

	/** {@code x <- x + coefficient * vector} (activation addition). */
	record AddVector(int layer, HookPoint hook, float[] vector, float coefficient, PositionScope scope)
			implements Edit {
	}

	/**
	 * {@code x <- x - (x . d) d} with d the normalised direction. With {@code layer == ALL_LAYERS} and hook RESID_PRE
	 * the backend applies it at every block input, attention output and MLP output (Arditi's directional ablation).
	 */
	record ProjectOut(int layer, HookPoint hook, float[] direction, PositionScope scope) implements Edit {
	}

	/**
	 * SAE-latent edit with the error term kept: {@code f = encode(x); x <- x + decode(edit(f)) - decode(f)}. The
	 * layer and hook are the SAE's. Latents not listed are untouched; an edit with no latents is the identity.
	 */
	record LatentEdit(SparseAutoencoder sae, int[] latents, LatentEditMode mode, float value, PositionScope scope)
			implements Edit {

		@Override
		public int layer() {
			return sae.info().layer();
		}

		@Override
		public HookPoint hook() {
			return sae.info().hook();
		}
	}

	/**
	 * Replaces the activation by the SAE reconstruction, dropping the error term ({@code x <- decode(encode(x))}):
	 * the "spliced-in" forward of SAE evaluations (CE/KL with the SAE in the loop).
	 */
	record SaeReplace(SparseAutoencoder sae, PositionScope scope) implements Edit {

		@Override
		public int layer() {
			return sae.info().layer();
		}

		@Override
		public HookPoint hook() {
			return sae.info().hook();
		}
	}
}
