package org.refusalscope.sae.saelens;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeInfo;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.io.safetensors.SafetensorsFile;
import org.refusalscope.sae.FolderSaeProvider;
import org.refusalscope.sae.SaeFolders;
import org.refusalscope.sae.LazySparseAutoencoder;
import org.refusalscope.sae.SaeChecks;

/**
 * SAELens native SAEs (anchors.md 2.4): {@code cfg.json} + {@code sae_weights.safetensors} with {@code W_enc [d_in,
 * d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_enc}, {@code b_dec} and, for JumpReLU, {@code threshold} (or a
 * training {@code log_threshold}). Architectures standard (ReLU), jumprelu and topk; {@code apply_b_dec_to_input}
 * as configured (SAELens' default is true). The layout already matches {@link SaeWeights}, so both matrices stay
 * memory-mapped views. A legacy {@code scaling_factor} that is not all ones is folded into W_dec, which copies it.
 * A folder of {@code layer_<L>/} sub-folders (as {@code train-sae --layer all} writes) yields one SAE per layer. This
 * is also the format the platform's own trained SAEs are saved in.
 */
@Component(service = SaeProvider.class)
public class SaeLensProvider extends FolderSaeProvider {

	public static final String ID = "saelens";
	public static final String CFG = "cfg.json";
	public static final String WEIGHTS = "sae_weights.safetensors";

	public SaeLensProvider() {
		super(CFG, WEIGHTS);
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "SAELens (cfg.json + sae_weights.safetensors)";
	}

	@Override
	public String description() {
		return "Reads SAELens SAEs (standard/ReLU, JumpReLU, TopK; pre-6.0 configs too), memory-mapped; also the platform's trained SAEs.";
	}

	@Override
	protected SparseAutoencoder open(Path folder, SaeLoadOptions options) throws IOException {
		Path weightsFile = folder.resolve(WEIGHTS);
		String source = weightsFile.toString();
		SaeLensConfig cfg = SaeLensConfig.read(folder.resolve(CFG));
		// a layer_<L> folder (as train-sae --layer all writes) gives the layer when the hook name does not
		int layer = layer(cfg.hookName(), () -> SaeFolders.layerOf(folder), options, folder.resolve(CFG), "hook_name");
		HookPoint hook = hookOf(cfg.hookName());
		long dIn = cfg.dIn(), dSae = cfg.dSae();
		SaeChecks.checkDModel(source, "W_enc", dIn, options.dModel());
		TensorView bEnc, bDec, threshold = null, scaling = null;
		SafetensorsFile file = SafetensorsFile.open(weightsFile);
		try {
			SaeChecks.checkShape(source, "W_enc", file.shape("W_enc"), dIn, dSae);
			SaeChecks.checkShape(source, "W_dec", file.shape("W_dec"), dSae, dIn);
			bEnc = file.tensor("b_enc");
			bDec = file.tensor("b_dec");
			SaeChecks.checkShape(source, "b_enc", bEnc.shape(), dSae);
			SaeChecks.checkShape(source, "b_dec", bDec.shape(), dIn);
			SaeChecks.checkFinite(source, bEnc);
			SaeChecks.checkFinite(source, bDec);
			if(cfg.architecture() == SaeArchitecture.JUMPRELU) {
				threshold = threshold(file, dSae);
				SaeChecks.checkFinite(source, threshold);
			}
			if(file.contains("scaling_factor")) {
				scaling = file.tensor("scaling_factor");
				SaeChecks.checkShape(source, "scaling_factor", scaling.shape(), dSae);
				SaeChecks.checkFinite(source, scaling);
			}
		} finally {
			file.close();
		}
		String id = "saelens/" + (folder.getParent() != null ? folder.getParent().getFileName() + "/" : "") + folder.getFileName();
		SaeInfo info = new SaeInfo(id, ID, layer, hook, (int) dIn, (int) dSae, cfg.architecture(), folder,
				cfg.neuronpediaId());
		TensorView bEncFinal = bEnc, bDecFinal = bDec, thresholdFinal = threshold, scalingFinal = scaling;
		return new LazySparseAutoencoder(info, () -> {
			SafetensorsFile weights = SafetensorsFile.open(weightsFile);
			try {
				TensorView wEnc = weights.tensor("W_enc");
				TensorView wDec = weights.tensor("W_dec");
				SaeChecks.checkFinite(source, wEnc);
				SaeChecks.checkFinite(source, wDec);
				if(scalingFinal != null) {
					wDec = foldScalingFactor(wDec, scalingFinal);
				}
				return new SaeWeights(wEnc, wDec, bEncFinal, bDecFinal, thresholdFinal, cfg.k(), cfg.applyBDecToInput(),
						cfg.inputScale());
			} finally {
				weights.close();
			}
		});
	}

	/** {@code threshold}, or exp({@code log_threshold}) as JumpReLU training checkpoints store it. */
	private static TensorView threshold(SafetensorsFile file, long dSae) throws IOException {
		String source = file.path().toString();
		if(file.contains("threshold")) {
			TensorView threshold = file.tensor("threshold");
			SaeChecks.checkShape(source, "threshold", threshold.shape(), dSae);
			return threshold;
		}
		if(file.contains("log_threshold")) {
			TensorView log = file.tensor("log_threshold");
			SaeChecks.checkShape(source, "log_threshold", log.shape(), dSae);
			float[] theta = log.toFloatArray();
			for(int j = 0; j < theta.length; j++) {
				theta[j] = (float) Math.exp(theta[j]);
			}
			return TensorView.ofFloats("threshold", log.shape(), theta);
		}
		throw new IOException(source + ": missing tensor 'threshold' (JumpReLU SAE)");
	}

	/** Old SAELens decoded {@code (f * scaling_factor) W_dec}; folding scales row j of W_dec (a one-time F32 copy). */
	private static TensorView foldScalingFactor(TensorView wDec, TensorView scaling) {
		float[] factors = scaling.toFloatArray();
		boolean allOnes = true;
		for(float factor : factors) {
			allOnes &= factor == 1f;
		}
		if(allOnes) {
			return wDec;
		}
		int rows = (int) wDec.shape()[0];
		int cols = (int) wDec.shape()[1];
		float[] folded = wDec.toFloatArray();
		for(int j = 0; j < rows; j++) {
			for(int i = 0; i < cols; i++) {
				folded[j * cols + i] *= factors[j];
			}
		}
		return TensorView.ofFloats("W_dec", wDec.shape(), folded);
	}
}
