package org.refusalscope.sae.saelens;

import java.io.IOException;
import java.nio.file.Path;

import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.sae.FolderSaeProvider;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The fields of a SAELens {@code cfg.json} this platform uses, read from the v6 layout and from pre-6.0 configs
 * ({@code hook_point} -> {@code hook_name}, {@code activation_fn_str} -> {@code activation_fn}, TopK k in
 * {@code activation_fn_kwargs}), as SAELens' {@code handle_pre_6_0_config} does.
 *
 * @param inputScale from {@code norm_scaling_factor} with {@code normalize_activations: expected_average_only_in}, else 1
 */
public record SaeLensConfig(SaeArchitecture architecture, int dIn, int dSae, int k, boolean applyBDecToInput,
		String hookName, String neuronpediaId, String modelName, float inputScale) {

	public static SaeLensConfig read(Path cfgFile) throws IOException {
		JsonObject cfg = FolderSaeProvider.readJson(cfgFile);
		JsonObject metadata = cfg.has("metadata") && cfg.get("metadata").isJsonObject() ? cfg.getAsJsonObject("metadata")
				: new JsonObject();
		String activationFn = firstString(cfg, metadata, "activation_fn", "activation_fn_str");
		String architectureName = firstString(cfg, metadata, "architecture");
		if(architectureName == null) {
			architectureName = "topk".equals(activationFn) ? "topk" : "standard";
		}
		SaeArchitecture architecture = switch(architectureName) {
			case "standard" -> {
				if(activationFn != null && !activationFn.equals("relu")) {
					if(activationFn.equals("topk")) {
						yield SaeArchitecture.TOPK;
					}
					throw new IOException(cfgFile + ": unsupported activation_fn '" + activationFn + "' for a standard SAE");
				}
				yield SaeArchitecture.RELU;
			}
			case "jumprelu" -> SaeArchitecture.JUMPRELU;
			case "topk" -> SaeArchitecture.TOPK;
			default -> throw new IOException(cfgFile + ": unsupported SAELens architecture '" + architectureName
					+ "' (supported: standard, jumprelu, topk)");
		};
		int k = 0;
		if(architecture == SaeArchitecture.TOPK) {
			JsonElement kValue = cfg.get("k");
			if(kValue == null && cfg.has("activation_fn_kwargs") && cfg.get("activation_fn_kwargs").isJsonObject()) {
				kValue = cfg.getAsJsonObject("activation_fn_kwargs").get("k");
			}
			if(kValue == null || kValue.isJsonNull()) {
				throw new IOException(cfgFile + ": TopK SAE without k");
			}
			k = kValue.getAsInt();
			if(cfg.has("rescale_acts_by_decoder_norm") && cfg.get("rescale_acts_by_decoder_norm").getAsBoolean()) {
				throw new IOException(cfgFile + ": rescale_acts_by_decoder_norm=true is not supported; fold decoder norms first");
			}
		}
		float inputScale = 1f;
		String normalize = firstString(cfg, metadata, "normalize_activations");
		if(normalize != null && !normalize.equals("none")) {
			if(normalize.equals("expected_average_only_in") && cfg.has("norm_scaling_factor")) {
				inputScale = cfg.get("norm_scaling_factor").getAsFloat();
			} else {
				throw new IOException(cfgFile + ": normalize_activations '" + normalize + "' is not supported"
						+ (normalize.equals("expected_average_only_in") ? " without norm_scaling_factor (fold it into the weights)" : ""));
			}
		}
		String hookName = firstString(cfg, metadata, "hook_name", "hook_point");
		return new SaeLensConfig(architecture, FolderSaeProvider.requireInt(cfg, "d_in", cfgFile),
				FolderSaeProvider.requireInt(cfg, "d_sae", cfgFile), k,
				!cfg.has("apply_b_dec_to_input") || cfg.get("apply_b_dec_to_input").getAsBoolean(), hookName,
				firstString(cfg, metadata, "neuronpedia_id"), firstString(cfg, metadata, "model_name"), inputScale);
	}

	/** The first of {@code keys} found at the top level or in {@code metadata} (v6 moved several there). */
	private static String firstString(JsonObject cfg, JsonObject metadata, String... keys) {
		for(String key : keys) {
			for(JsonObject object : new JsonObject[] {cfg, metadata}) {
				JsonElement value = object.get(key);
				if(value != null && value.isJsonPrimitive()) {
					return value.getAsString();
				}
			}
		}
		return null;
	}
}
