package org.refusalscope.direction.diffmeans;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.pipeline.ActivationSource;
import org.refusalscope.api.pipeline.DirectionFinder;
import org.refusalscope.api.pipeline.RefusalDirection;
import org.refusalscope.api.prompts.Prompt;

/**
 * Difference in means at a fixed layer and position (method.md section 4.1): {@code mean_harmful(h_l[pos]) -
 * mean_harmless(h_l[pos])} at resid_post, computed at every layer for reports; the chosen layer's vector is the
 * direction. No automatic selection.
 */
@Component(service = DirectionFinder.class)
public class DiffInMeans implements DirectionFinder<DiffInMeans.Settings> {

	/**
	 * @param layer    0-based layer, or -1 for the middle layer ({@code numLayers / 2})
	 * @param position relative to the end of the chat-formatted prompt, -1 = last token
	 * @param hook     {@code resid_post} (default) or {@code resid_pre}
	 */
	public record Settings(int layer, int position, String hook) {
	}

	@Override
	public String id() {
		return "diff-in-means";
	}

	@Override
	public String name() {
		return "Difference in means";
	}

	@Override
	public String description() {
		return "Mean harmful minus mean harmless activation at one layer and position (default: the middle layer, "
				+ "last prompt token, resid_post).";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(-1, -1, "resid_post");
	}

	@Override
	public RefusalDirection find(ActivationSource source, List<Prompt> harmful, List<Prompt> harmless,
			Settings settings, ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		int numLayers = source.model().numLayers();
		int layer = s.layer() < 0 ? numLayers / 2 : s.layer();
		if(layer >= numLayers) {
			throw new IllegalArgumentException("direction layer " + layer + " does not exist; the model has " + numLayers
					+ " layers (0-" + (numLayers - 1) + ")");
		}
		HookPoint hook = parseHook(s.hook());
		if(monitor != null) {
			monitor.begin("Difference in means over " + harmful.size() + " + " + harmless.size() + " prompts", -1);
		}
		float[][] perLayer = Means.differences(source, harmful, harmless, hook, Means.allLayers(numLayers), s.position());
		float[] vector = perLayer[layer];
		return new RefusalDirection(layer, s.position(), hook, vector, perLayer,
				Map.of("vector_norm", Means.norm(vector)));
	}

	static HookPoint parseHook(String hook) {
		String name = hook == null ? "resid_post" : hook.toLowerCase(Locale.ROOT);
		for(HookPoint point : HookPoint.values()) {
			if(point.name().equalsIgnoreCase(name) || point.hookName(0).endsWith("hook_" + name)) {
				return point;
			}
		}
		throw new IllegalArgumentException("unknown hook point '" + hook + "' (resid_pre, resid_post, attn_out, mlp_out)");
	}
}
