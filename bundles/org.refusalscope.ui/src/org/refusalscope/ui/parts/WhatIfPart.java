package org.refusalscope.ui.parts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.refusalscope.core.runs.DissectionResults.CandidateFeature;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.DissectionResults.MinimalSetFeature;
import org.refusalscope.core.runs.DissectionResults.PromptResult;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.run.WhatIfJob;
import org.refusalscope.ui.run.WhatIfRequest;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * What-if panel: tick features of the selected prompt on or off, choose zero or scale ablation, and regenerate the
 * completion right there. The evaluation is the headless {@code eval --ablate} on the run's model and SAEs, so the
 * verdict is the one {@code dissect} would give.
 */
public class WhatIfPart {

	static final String[] MODES = {"zero", "scale:-1", "scale:-3"};
	private final Consumer<OpenRun> listener = this::refresh;
	private OpenRun run;
	private Label promptLabel;
	private Table features;
	private Combo mode;
	private Button regenerate;
	private Label verdict;
	private Text completion;

	@PostConstruct
	public void createControls(Composite parent, OpenRun openRun) {
		run = openRun;
		parent.setLayout(new GridLayout(3, false));
		promptLabel = new Label(parent, SWT.WRAP);
		promptLabel.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
		features = new Table(parent, SWT.CHECK | SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
		features.setHeaderVisible(true);
		features.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
		for(String title : new String[]{"Ablate", "Layer", "Feature", "Cosine", "In minimal set"}) {
			TableColumn column = new TableColumn(features, SWT.LEFT);
			column.setText(title);
			column.setWidth(title.equals("In minimal set") ? 120 : 80);
		}
		new Label(parent, SWT.NONE).setText("Mode:");
		mode = new Combo(parent, SWT.DROP_DOWN);
		mode.setItems(MODES);
		mode.setText(MODES[0]);
		regenerate = new Button(parent, SWT.PUSH);
		regenerate.setText("Regenerate");
		regenerate.addListener(SWT.Selection, e -> regenerate());
		verdict = new Label(parent, SWT.WRAP);
		verdict.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1));
		completion = new Text(parent, SWT.MULTI | SWT.WRAP | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL);
		completion.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
		run.addListener(listener);
		refresh(run);
	}

	@PreDestroy
	public void dispose() {
		run.removeListener(listener);
	}

	/** The features currently ticked, in table order. */
	public List<Feature> ticked() {
		List<Feature> out = new ArrayList<>();
		for(TableItem item : features.getItems()) {
			if(item.getChecked()) {
				out.add((Feature) item.getData());
			}
		}
		return out;
	}

	Table features() {
		return features;
	}

	Combo mode() {
		return mode;
	}

	Button regenerateButton() {
		return regenerate;
	}

	Label verdict() {
		return verdict;
	}

	Text completion() {
		return completion;
	}

	private void refresh(OpenRun current) {
		features.removeAll();
		completion.setText("");
		verdict.setText("");
		PromptResult prompt = current.selectedPrompt().orElse(null);
		regenerate.setEnabled(prompt != null);
		if(prompt == null) {
			promptLabel.setText("Select a prompt to try other ablations.");
			return;
		}
		promptLabel.setText("Prompt: " + prompt.prompt());
		Set<Feature> listed = new LinkedHashSet<>();
		for(MinimalSetFeature member : prompt.minimalSet() == null ? List.<MinimalSetFeature>of() : prompt.minimalSet()) {
			Feature feature = member.ref();
			if(listed.add(feature)) {
				addRow(feature, cosineOf(prompt, feature), true);
			}
		}
		for(CandidateFeature candidate : prompt.candidates() == null ? List.<CandidateFeature>of() : prompt.candidates()) {
			Feature feature = new Feature(candidate.layer(), candidate.feature());
			if(listed.add(feature)) {
				addRow(feature, candidate.cosine(), false);
			}
		}
	}

	private void addRow(Feature feature, Double cosine, boolean inMinimalSet) {
		TableItem item = new TableItem(features, SWT.NONE);
		item.setData(feature);
		item.setChecked(inMinimalSet);
		item.setText(new String[]{"", Integer.toString(feature.layer()), Integer.toString(feature.feature()),
				cosine == null ? "" : String.format("%.4f", cosine), inMinimalSet ? "yes" : ""});
	}

	private static Double cosineOf(PromptResult prompt, Feature feature) {
		for(CandidateFeature candidate : prompt.candidates() == null ? List.<CandidateFeature>of() : prompt.candidates()) {
			if(candidate.layer() == feature.layer() && candidate.feature() == feature.feature()) {
				return candidate.cosine();
			}
		}
		return null;
	}

	private void regenerate() {
		PromptResult prompt = run.selectedPrompt().orElse(null);
		if(prompt == null || run.folder().isEmpty()) {
			return;
		}
		WhatIfRequest request = new WhatIfRequest(run.folder().get(), prompt.prompt(), ticked(), mode.getText().strip(), 48);
		regenerate.setEnabled(false);
		verdict.setText("Generating with " + request.features().size() + " feature(s) ablated (" + request.mode() + ")...");
		new WhatIfJob(request, result -> features.getDisplay().asyncExec(() -> show(result))).schedule();
	}

	private void show(Object result) {
		if(verdict.isDisposed()) {
			return;
		}
		regenerate.setEnabled(true);
		if(result instanceof WhatIfRequest.Outcome outcome) {
			verdict.setText((outcome.refused() ? "refused" : "complied") + String.format(" (refusal score %.3f)",
					outcome.refusalScore()));
			completion.setText(outcome.completion());
		} else {
			verdict.setText("What-if failed: " + result);
			completion.setText("");
		}
		verdict.getParent().layout(true, true);
	}
}
