package dev.otpengine.spring.boot;

import dev.otpengine.DeliveryReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** WhatsApp's status webhooks as reports: delivered and read are delivered, failed is failed, the rest nothing. */
final class WhatsAppStatusesTest {

    private static List<DeliveryReport> reports(String json) {
        return WhatsAppStatuses.reports(FlatJson.nested(json));
    }

    private static String webhook(String statuses) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
                + "\"phone_number_id\":\"106540352242922\"},\"statuses\":[" + statuses + "]},\"field\":\"messages\"}]}]}";
    }

    private static DeliveryReport report(String id, DeliveryReport.Status status, String errorCode) {
        return new DeliveryReport("whatsapp", id, status, errorCode, "meta");
    }

    @Test
    void deliveredAndRead_areDelivered_failedIsFailedWithTheFirstErrorsCode_sentIsNothing() {
        assertEquals(List.of(report("wamid.A", DeliveryReport.Status.DELIVERED, null),
                        report("wamid.B", DeliveryReport.Status.DELIVERED, null),
                        report("wamid.C", DeliveryReport.Status.FAILED, "131026")),
                reports(webhook("{\"id\":\"wamid.A\",\"status\":\"delivered\",\"errors\":[{\"code\":1}]},"
                        + "{\"id\":\"wamid.S\",\"status\":\"sent\"},"
                        + "{\"id\":\"wamid.B\",\"status\":\"read\"},"
                        + "{\"id\":\"wamid.C\",\"status\":\"failed\",\"errors\":[{\"code\":131026,\"title\":\"Message "
                        + "undeliverable\"},{\"code\":131000}]}")));
    }

    @Test
    void aFailureWithoutErrors_orWithACodeAsText_keepsWhatItHas() {
        assertEquals(List.of(report("wamid.C", DeliveryReport.Status.FAILED, null),
                        report("wamid.D", DeliveryReport.Status.FAILED, "131049"),
                        report("wamid.E", DeliveryReport.Status.FAILED, null)),
                reports(webhook("{\"id\":\"wamid.C\",\"status\":\"FAILED\"},"
                        + "{\"id\":\"wamid.D\",\"status\":\"failed\",\"errors\":[{\"code\":\"131049\"}]},"
                        + "{\"id\":\"wamid.E\",\"status\":\"failed\",\"errors\":[{\"title\":\"no code\"}]}")));
    }

    @Test
    void statusesOfSeveralEntriesAndChanges_areAllReported_inOrder() {
        String json = "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.1\",\"status\":\"read\"}]}},"
                + "{\"value\":{\"messages\":[{\"id\":\"wamid.in\",\"type\":\"text\"}]}},"
                + "{\"value\":{\"statuses\":[{\"id\":\"wamid.2\",\"status\":\"delivered\"}]}}]},"
                + "{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.3\",\"status\":\"failed\","
                + "\"errors\":[{\"code\":131047}]}]}}]}]}";
        assertEquals(List.of(report("wamid.1", DeliveryReport.Status.DELIVERED, null),
                report("wamid.2", DeliveryReport.Status.DELIVERED, null),
                report("wamid.3", DeliveryReport.Status.FAILED, "131047")), reports(json));
    }

    @Test
    void statusesNotFinal_unknownOnes_andPartsNotOfTheDocumentedShape_areNoReport() {
        for (String status : new String[] {"sent", "deleted", "warning", "played", "pending", "", "true"}) {
            assertEquals(List.of(), reports(webhook("{\"id\":\"wamid.A\",\"status\":\"" + status + "\"}")), status);
        }
        for (String json : new String[] {"{}", "{\"entry\":{}}", "{\"entry\":[1,\"x\",[]]}",
                "{\"entry\":[{\"changes\":\"x\"}]}", "{\"entry\":[{\"changes\":[{\"value\":[]}]}]}",
                "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":{}}}]}]}",
                webhook("{\"status\":\"read\"}"), webhook("{\"id\":\" \",\"status\":\"read\"}"),
                webhook("{\"id\":{\"a\":\"b\"},\"status\":\"read\"}"), webhook("{\"id\":\"wamid.A\",\"status\":[]}"),
                webhook("{\"id\":\"" + "w".repeat(129) + "\",\"status\":\"read\"}"),
                webhook("{\"id\":\"wamid.A\",\"status\":\"failed\",\"errors\":[{\"code\":\"" + "9".repeat(129)
                        + "\"}]}"), webhook("\"wamid.A\"")}) {
            assertEquals(List.of(), reports(json), json);
        }
    }
}
