package org.refusalscope.headless.commands.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;
import org.refusalscope.sae.SaeBatchMath;
import org.refusalscope.sae.SaeProviders;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The {@code sae} object of {@code inspect --sae} (contracts.md): one layer's active latents at the last position. */
public final class SaeInspection {

	private SaeInspection() {
	}

	public static SparseAutoencoder open(CliContext context, Path location, int layer, int dModel) throws IOException {
		List<SparseAutoencoder> saes = SaeCommandSupport.loadSaes(context, location, dModel, layer);
		if(saes.size() > 1 && layer < 0) {
			throw new UsageException("--sae " + location + " holds layers " + saes.stream().map(s -> s.info().layer()).toList()
					+ "; choose one with --sae-layer");
		}
		return SaeProviders.forLayer(saes, saes.size() == 1 ? -1 : layer, location);
	}

	/**
	 * {@code layer}, {@code width}, {@code active} ({@code {feature, activation}} with activation > 0, largest first),
	 * {@code l0}, {@code reconstruction_error_norm} = ||x - decode(encode(x))||, plus {@code neuronpedia} links where published.
	 */
	public static JsonObject describe(SparseAutoencoder sae, float[] residual) {
		SaeBatchMath math = new SaeBatchMath(sae);
		float[] f = math.encode(residual);
		float[] reconstruction = math.decode(f);
		List<Integer> active = new ArrayList<>();
		for(int j = 0; j < f.length; j++) {
			if(f[j] > 0f) {
				active.add(j);
			}
		}
		active.sort(Comparator.comparingDouble((Integer j) -> -f[j]).thenComparingInt(j -> j));
		JsonArray list = new JsonArray();
		for(int j : active) {
			JsonObject item = new JsonObject();
			item.addProperty("feature", j);
			item.addProperty("activation", f[j]);
			String url = sae.info().neuronpediaUrl(j);
			if(url != null) {
				item.addProperty("neuronpedia", url);
			}
			list.add(item);
		}
		double error = 0;
		for(int i = 0; i < residual.length; i++) {
			error += (residual[i] - reconstruction[i]) * (double) (residual[i] - reconstruction[i]);
		}
		JsonObject out = new JsonObject();
		out.addProperty("layer", sae.info().layer());
		out.addProperty("width", sae.info().dSae());
		out.add("active", list);
		out.addProperty("l0", active.size());
		out.addProperty("reconstruction_error_norm", Math.sqrt(error));
		return out;
	}
}
