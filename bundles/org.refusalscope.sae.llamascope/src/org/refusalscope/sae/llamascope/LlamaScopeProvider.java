package org.refusalscope.sae.llamascope;

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
import org.refusalscope.sae.LazySparseAutoencoder;
import org.refusalscope.sae.SaeChecks;
import org.refusalscope.sae.TensorTranspose;

import com.google.gson.JsonObject;

/**
 * Llama Scope v1 SAEs ({@code fnlp/Llama3_1-8B-Base-L<X>R-8x}): {@code hyperparams.json} +
 * {@code checkpoints/final.safetensors} with {@code nn.Linear} weights, converted as SAELens'
 * {@code llama_scope_sae_huggingface_loader} does (anchors.md 2.2): {@code W_enc = encoder.weightᵀ},
 * {@code W_dec = decoder.weightᵀ}, the scalar {@code jump_relu_threshold} expanded to every latent, no b_dec
 * subtraction, and input scaling {@code s = sqrt(d_model) / dataset_average_activation_norm.in} kept as
 * {@link SaeWeights#inputScale()} (SAELens folds it into W_enc and the threshold; the result is the same). Like
 * SAELens, decoder norms are not folded. TopK SAEs ({@code act_fn: topk}) use {@code top_k}; a
 * {@code log_jumprelu_threshold} tensor (R1-distill layout) overrides the scalar threshold.
 * <p>
 * A row-major view cannot express the transposes, so both matrices are materialised once, in their stored dtype,
 * on the first {@code weights()} call: 2 x 268 MB for an 8x (32k) bf16 SAE, in addition to the page cache.
 */
@Component(service = SaeProvider.class)
public class LlamaScopeProvider extends FolderSaeProvider {

	public static final String ID = "llamascope";
	private static final String HYPERPARAMS = "hyperparams.json";
	private static final String CHECKPOINT = "checkpoints/final.safetensors";

	public LlamaScopeProvider() {
		super(HYPERPARAMS, CHECKPOINT);
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public String name() {
		return "Llama Scope (hyperparams.json + final.safetensors)";
	}

	@Override
	public String description() {
		return "Reads Llama Scope SAEs: transposed nn.Linear weights, scalar JumpReLU threshold or TopK, dataset-norm input scaling.";
	}

	@Override
	protected SparseAutoencoder open(Path folder, SaeLoadOptions options) throws IOException {
		Path configFile = folder.resolve(HYPERPARAMS);
		Path weightsFile = folder.resolve(CHECKPOINT);
		String source = weightsFile.toString();
		JsonObject config = readJson(configFile);
		int dModel = requireInt(config, "d_model", configFile);
		String hookName = config.has("hook_point_in") ? config.get("hook_point_in").getAsString() : null;
		// Llama Scope takes the layer from the hook name or --sae-layer, never from the folder name
		int layer = layer(hookName, () -> -1, options, configFile, "hook_point_in");
		HookPoint hook = hookOf(hookName);
		String actFn = config.has("act_fn") ? config.get("act_fn").getAsString() : "relu";
		SaeArchitecture architecture = switch(actFn) {
			case "jumprelu" -> SaeArchitecture.JUMPRELU;
			case "topk" -> SaeArchitecture.TOPK;
			case "relu" -> SaeArchitecture.RELU;
			default -> throw new IOException(configFile + ": unsupported act_fn '" + actFn + "' (jumprelu, topk, relu)");
		};
		int k = architecture == SaeArchitecture.TOPK ? requireInt(config, "top_k", configFile) : 0;
		float inputScale = 1f;
		if(config.has("dataset_average_activation_norm") && config.get("dataset_average_activation_norm").isJsonObject()) {
			JsonObject norms = config.getAsJsonObject("dataset_average_activation_norm");
			if(norms.has("in")) {
				double normIn = norms.get("in").getAsDouble();
				if(!(normIn > 0)) {
					throw new IOException(configFile + ": dataset_average_activation_norm.in must be positive, is " + normIn);
				}
				inputScale = (float) (Math.sqrt(dModel) / normIn);
			}
		}

		long dSae;
		TensorView bEnc, bDec, threshold = null;
		SafetensorsFile file = SafetensorsFile.open(weightsFile);
		try {
			long[] encShape = file.shape("encoder.weight");
			if(encShape.length != 2) {
				SaeChecks.checkShape(source, "encoder.weight", encShape, -1, dModel);
			}
			dSae = encShape[0];
			SaeChecks.checkShape(source, "encoder.weight", encShape, dSae, dModel);
			if(config.has("d_sae") && config.get("d_sae").getAsLong() != dSae) {
				throw new IOException(source + ": tensor encoder.weight has " + dSae + " latents, " + HYPERPARAMS
						+ " says d_sae=" + config.get("d_sae").getAsLong());
			}
			SaeChecks.checkDModel(source, "encoder.weight", dModel, options.dModel());
			SaeChecks.checkShape(source, "decoder.weight", file.shape("decoder.weight"), dModel, dSae);
			bEnc = file.tensor("encoder.bias");
			bDec = file.tensor("decoder.bias");
			SaeChecks.checkShape(source, "encoder.bias", bEnc.shape(), dSae);
			SaeChecks.checkShape(source, "decoder.bias", bDec.shape(), dModel);
			SaeChecks.checkFinite(source, bEnc);
			SaeChecks.checkFinite(source, bDec);
			if(architecture == SaeArchitecture.JUMPRELU) {
				threshold = jumpReluThreshold(file, config, configFile, dSae);
				SaeChecks.checkFinite(source, threshold);
			}
		} finally {
			file.close();
		}
		SaeInfo info = new SaeInfo("llama-scope/" + folder.getFileName(), ID, layer, hook, dModel, (int) dSae,
				architecture, folder, neuronpediaId(dModel, dSae, layer, hook));
		TensorView bEncFinal = bEnc, bDecFinal = bDec, thresholdFinal = threshold;
		float scale = inputScale;
		return new LazySparseAutoencoder(info, () -> {
			SafetensorsFile weights = SafetensorsFile.open(weightsFile);
			try {
				TensorView encoder = weights.tensor("encoder.weight");
				TensorView decoder = weights.tensor("decoder.weight");
				SaeChecks.checkFinite(source, encoder);
				SaeChecks.checkFinite(source, decoder);
				return new SaeWeights(TensorTranspose.transpose(encoder, "W_enc"), TensorTranspose.transpose(decoder, "W_dec"),
						bEncFinal, bDecFinal, thresholdFinal, k, false, scale);
			} finally {
				weights.close();
			}
		});
	}

	/** {@code llama3.1-8b/<L>-llamascope-res-32k} for the published 8x residual SAEs of Llama-3.1-8B, else null. */
	static String neuronpediaId(int dModel, long dSae, int layer, HookPoint hook) {
		return dModel == 4096 && dSae == 32768 && hook == HookPoint.RESID_POST ? "llama3.1-8b/" + layer + "-llamascope-res-32k" : null;
	}

	/** Per-latent θ: exp(log_jumprelu_threshold) when stored, else the scalar jump_relu_threshold for every latent. */
	private static TensorView jumpReluThreshold(SafetensorsFile file, JsonObject config, Path configFile, long dSae)
			throws IOException {
		float[] theta = new float[(int) dSae];
		if(file.contains("log_jumprelu_threshold")) {
			TensorView log = file.tensor("log_jumprelu_threshold");
			SaeChecks.checkShape(file.path().toString(), "log_jumprelu_threshold", log.shape(), dSae);
			float[] values = log.toFloatArray();
			for(int j = 0; j < theta.length; j++) {
				theta[j] = (float) Math.exp(values[j]);
			}
		} else {
			if(!config.has("jump_relu_threshold")) {
				throw new IOException(configFile + ": act_fn jumprelu without jump_relu_threshold");
			}
			java.util.Arrays.fill(theta, config.get("jump_relu_threshold").getAsFloat());
		}
		return TensorView.ofFloats("threshold", new long[] {dSae}, theta);
	}
}
