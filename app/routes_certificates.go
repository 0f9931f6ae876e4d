package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

// certificateRoutes are the etiquette certificates (R8.3): public verification by code,
// the staff's list and revocation, and each holder's own certificates.
func (s *server) certificateRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		// Public: a code is 120 random bits, so guessing needs no rate limit of its own.
		// The code is a query parameter, as on the /verify page: a path /certificates/verify/{code}
		// would be ambiguous with /certificates/{id}/revoke for OpenAPI tools.
		{get, "/api/v1/certificates/verify", public, nil, s.verifyCertificate, doc{Tag: "certificates",
			Summary: "按验证码核验证书（无需登录；只显示打码姓名、类型、编号、日期和状态）", Resp: exams.CertificateCheck{},
			Required: []param{{"code", "string", "证书验证码"}}, Problems: []int{404}}},
		{get, "/api/v1/certificates", roles, staffRoles, s.listCertificates, doc{Tag: "certificates", Summary: "证书列表（管辖范围内；expiring 为需复训复考者）",
			Resp: models.List[exams.CertificateView]{}, Query: append([]param{{"status", "string", "valid|expiring|expired|revoked"}}, pageParams...)}},
		{get, "/api/v1/me/certificates", anyUser, nil, s.myCertificates, doc{Tag: "certificates", Summary: "我的证书（含已过期、已吊销）",
			Resp: models.List[exams.CertificateView]{}, Query: pageParams}},
		{post, "/api/v1/certificates/:id/revoke", roles, examRoles, s.revokeCertificate, doc{Tag: "certificates", Summary: "吊销证书（须填原因；证书保留，不可重复吊销）",
			Body: exams.RevokeInput{}, Resp: exams.CertificateView{}, Problems: []int{409}}},
	}
}
