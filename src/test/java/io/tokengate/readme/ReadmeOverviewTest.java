package io.tokengate.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokengate.readme.Features.Feature;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's overview (above "Quick start") may call something missing only while the code lacks it: a feature
 * of {@link Features} that the code has must not be named in a statement of absence. Run it against another text
 * with {@code -Dtokengate.readme=/path/to/README.md}.
 */
class ReadmeOverviewTest {

    @Test
    void theOverviewCallsNothingMissingThatTheCodeHas() {
        assertThat(OverviewClaims.falseAbsences(Readme.load().overview(), Features.ALL)).isEmpty();
    }

    @Test
    void theOverviewSaysWhatIsNotThereYet() {
        assertThat(OverviewClaims.absences(Readme.load().overview())).as("statements of absence in the overview").isNotEmpty();
    }

    @Test
    void everyFeatureOfTheTableStillHasItsEvidence() {
        // A renamed class or key must update the table, not silently turn a feature into "absent".
        assertThat(Features.ALL).allSatisfy(f -> assertThat(f.evidence()).as(f.name())
                .allSatisfy(e -> assertThat(e.present()).as(e.toString()).isTrue()));
    }

    @Test
    void aSentenceOfAbsenceNamingExistingFeaturesIsCaught() {
        Readme readme = Readme.of("""
                # tokengate
                - Tenants and API keys.

                Not yet (tracked as open issues): breakers, health checks, retries and smarter balancers; metrics and
                traces; Kubernetes/Knative delivery.

                ## Quick start
                """);
        assertThat(OverviewClaims.falseAbsences(readme.overview(), Features.ALL)).extracting(a -> a.feature().name())
                .containsExactlyInAnyOrder("circuit breakers", "active health checks", "retries", "balancers", "metrics",
                        "traces", "Kubernetes delivery", "Knative");
    }

    @Test
    void underAnAbsenceHeadingEveryItemCountsAndOnlyAbsentFeaturesMayBeNamed() {
        Readme readme = Readme.of("""
                ## What it does not do yet
                - **Anthropic Messages**: answers 404.
                - A **Helm chart** and an operator.
                - Smarter **retries**.
                ## Quick start
                """);
        List<OverviewClaims.FalseAbsence> found = OverviewClaims.falseAbsences(readme.overview(), Features.ALL);
        assertThat(found).extracting(a -> a.feature().name()).containsExactly("retries");
        assertThat(found.get(0).toString()).contains("Smarter **retries**.", "io.tokengate.upstream.RetryBudget");
    }

    @Test
    void aFeatureWithoutEvidenceMayBeCalledMissing() {
        Feature future = new Feature("Responses API", java.util.regex.Pattern.compile("responses api"),
                List.of(Evidence.route("POST /v1/responses")));
        Readme readme = Readme.of("# t\n\nThe Responses API is not supported yet.\n\n## Quick start\n");
        assertThat(OverviewClaims.absences(readme.overview())).containsExactly("The Responses API is not supported yet.");
        assertThat(OverviewClaims.falseAbsences(readme.overview(), List.of(future))).isEmpty();
    }
}
