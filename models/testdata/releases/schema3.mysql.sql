/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `accountability_cases` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `number` varchar(32) NOT NULL,
  `title` varchar(200) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `source` varchar(16) NOT NULL,
  `complaint_ref` varchar(200) NOT NULL,
  `summary` varchar(4000) NOT NULL,
  `grounds` text NOT NULL,
  `status` varchar(16) NOT NULL,
  `opened_by` bigint(20) unsigned NOT NULL,
  `opened_at` datetime(3) NOT NULL,
  `statement_due_on` date NOT NULL,
  `closed_at` datetime(3) DEFAULT NULL,
  `close_reason` varchar(1000) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_accountability_cases_number` (`number`),
  KEY `idx_accountability_cases_org_unit_id` (`org_unit_id`),
  KEY `idx_accountability_cases_status` (`status`),
  KEY `idx_accountability_cases_opened_at` (`opened_at`),
  CONSTRAINT `fk_accountability_cases_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `accountability_cases` VALUES (1,'WZ-2025-000001','违反服务规范（R2.4）：无推诿、拒绝首问责任的行为',172,'finding','','督导检查发现一票否决项不合格：无推诿、拒绝首问责任的行为','[\"service_rules\"]','decided',6,'2025-12-17 21:13:26.000','2025-12-25',NULL,'','2025-12-17 21:13:26.000','2026-12-04 02:21:52.823');
INSERT INTO `accountability_cases` VALUES (2,'WZ-2026-000002','违反服务规范（R9.8）：收费项目和标准已公示，不收取任何未公示的费用',183,'finding','','督导检查发现一票否决项不合格：收费项目和标准已公示，不收取任何未公示的费用','[\"service_rules\"]','open',6,'2026-12-03 02:21:48.000','2026-12-10',NULL,'','2026-12-03 02:21:48.000','2026-12-04 02:21:52.826');
INSERT INTO `accountability_cases` VALUES (3,'WZ-2026-000003','用户投诉营业员推诿、未履行首问责任',172,'complaint','12345热线转办投诉','用户来电投诉：办理业务时被要求到其他窗口排队，未获一次性告知所需材料（R2.1、R2.5）。','[\"service_rules\",\"dereliction\"]','decided',6,'2026-02-20 21:13:26.000','2026-02-27',NULL,'','2026-02-20 21:13:26.000','2026-12-04 02:21:52.829');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `acknowledgements` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `employee_id` bigint(20) unsigned NOT NULL,
  `version_id` bigint(20) unsigned NOT NULL,
  `user_id` bigint(20) unsigned DEFAULT NULL,
  `at` datetime(3) NOT NULL,
  `ip` varchar(64) NOT NULL,
  `user_agent` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_ack_employee_version` (`employee_id`,`version_id`),
  KEY `idx_acknowledgements_version_id` (`version_id`),
  KEY `idx_acknowledgements_user_id` (`user_id`),
  CONSTRAINT `fk_acknowledgements_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`),
  CONSTRAINT `fk_acknowledgements_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`),
  CONSTRAINT `fk_acknowledgements_version` FOREIGN KEY (`version_id`) REFERENCES `handbook_versions` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=1860 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `acknowledgements` VALUES (1,1,1,NULL,'2026-12-04 02:21:49.150','','');
INSERT INTO `acknowledgements` VALUES (2,4,1,NULL,'2026-12-04 02:21:49.219','','');
INSERT INTO `acknowledgements` VALUES (3,6,1,NULL,'2026-12-04 02:21:49.334','','');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `answers` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `attempt_id` bigint(20) unsigned NOT NULL,
  `question_id` bigint(20) unsigned NOT NULL,
  `choices` text NOT NULL,
  `text` varchar(500) NOT NULL,
  `seq` bigint(20) NOT NULL,
  `saved_at` datetime(3) NOT NULL,
  `correct` tinyint(1) NOT NULL,
  `points` bigint(20) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_answer` (`attempt_id`,`question_id`),
  CONSTRAINT `fk_answers_attempt` FOREIGN KEY (`attempt_id`) REFERENCES `attempts` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=7021 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `answers` VALUES (1,1,46,'[1]','',1,'2026-07-04 01:47:48.000',1,5);
INSERT INTO `answers` VALUES (2,1,66,'[2]','',1,'2026-07-04 01:48:48.000',1,5);
INSERT INTO `answers` VALUES (3,1,45,'[1]','',1,'2026-07-04 01:49:48.000',1,5);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `attempt_questions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `attempt_id` bigint(20) unsigned NOT NULL,
  `position` bigint(20) NOT NULL,
  `question_id` bigint(20) unsigned NOT NULL,
  `points` bigint(20) NOT NULL,
  `option_order` text NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_paper_position` (`attempt_id`,`position`),
  UNIQUE KEY `ux_paper_question` (`attempt_id`,`question_id`),
  KEY `idx_attempt_questions_question_id` (`question_id`),
  CONSTRAINT `fk_attempt_questions_attempt` FOREIGN KEY (`attempt_id`) REFERENCES `attempts` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_attempt_questions_question` FOREIGN KEY (`question_id`) REFERENCES `questions` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=7021 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `attempt_questions` VALUES (1,1,1,46,5,'[0,1]');
INSERT INTO `attempt_questions` VALUES (2,1,2,66,5,'[0,1,3,2]');
INSERT INTO `attempt_questions` VALUES (3,1,3,45,5,'[1,0,2,3]');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `attempts` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `exam_id` bigint(20) unsigned NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `number` bigint(20) NOT NULL,
  `open_key` varchar(64) DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `started_at` datetime(3) NOT NULL,
  `deadline` datetime(3) NOT NULL,
  `submitted_at` datetime(3) DEFAULT NULL,
  `auto_submitted` tinyint(1) NOT NULL,
  `points` bigint(20) NOT NULL,
  `max_points` bigint(20) NOT NULL,
  `passed` tinyint(1) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_attempts_open_key` (`open_key`),
  KEY `idx_attempt_person` (`exam_id`,`employee_id`),
  KEY `idx_attempt_due` (`status`,`deadline`),
  KEY `fk_attempts_employee` (`employee_id`),
  CONSTRAINT `fk_attempts_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`),
  CONSTRAINT `fk_attempts_exam` FOREIGN KEY (`exam_id`) REFERENCES `exams` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=352 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `attempts` VALUES (1,2,1302,1,NULL,'submitted','2026-07-04 01:46:48.000','2026-07-04 02:31:48.000','2026-07-04 02:21:48.000',0,85,100,1);
INSERT INTO `attempts` VALUES (2,2,1303,1,NULL,'submitted','2025-01-03 01:46:48.000','2025-01-03 02:31:48.000','2025-01-03 02:21:48.000',0,90,100,1);
INSERT INTO `attempts` VALUES (3,2,1312,1,NULL,'submitted','2024-10-25 01:46:48.000','2024-10-25 02:31:48.000','2024-10-25 02:21:48.000',0,100,100,1);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `attendances` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `session_id` bigint(20) unsigned NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `method` varchar(16) NOT NULL,
  `at` datetime(3) NOT NULL,
  `by_user_id` bigint(20) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_attendance` (`session_id`,`employee_id`),
  KEY `idx_attendances_employee_id` (`employee_id`),
  CONSTRAINT `fk_attendances_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`),
  CONSTRAINT `fk_attendances_session` FOREIGN KEY (`session_id`) REFERENCES `course_sessions` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `audit_events` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `at` datetime(3) NOT NULL,
  `actor_id` bigint(20) unsigned DEFAULT NULL,
  `actor_name` varchar(64) NOT NULL,
  `action` varchar(32) NOT NULL,
  `entity` varchar(32) NOT NULL,
  `entity_id` varchar(64) NOT NULL,
  `summary` text DEFAULT NULL,
  `ip` varchar(64) DEFAULT NULL,
  `request_id` varchar(64) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_audit_events_at` (`at`),
  KEY `idx_audit_events_actor_id` (`actor_id`),
  KEY `idx_audit_events_action` (`action`),
  KEY `idx_audit_entity` (`entity`,`entity_id`)
) ENGINE=InnoDB AUTO_INCREMENT=6424 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `audit_events` VALUES (1,'2026-12-04 02:21:48.728',NULL,'system','seed','org_unit','1','{\"code\":\"36\",\"name\":\"江西省广播电视网络传输有限公司\"}','','');
INSERT INTO `audit_events` VALUES (2,'2026-12-04 02:21:48.728',NULL,'system','seed','org_unit','2','{\"code\":\"3601\",\"name\":\"南昌市分公司\"}','','');
INSERT INTO `audit_events` VALUES (3,'2026-12-04 02:21:48.728',NULL,'system','seed','org_unit','3','{\"code\":\"360102\",\"name\":\"东湖区分公司\"}','','');
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER audit_events_no_UPDATE BEFORE UPDATE ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER audit_events_no_DELETE BEFORE DELETE ON audit_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `case_findings` (
  `case_id` bigint(20) unsigned NOT NULL,
  `finding_id` bigint(20) unsigned NOT NULL,
  PRIMARY KEY (`case_id`,`finding_id`),
  KEY `idx_case_findings_finding_id` (`finding_id`),
  CONSTRAINT `fk_case_findings_finding` FOREIGN KEY (`finding_id`) REFERENCES `findings` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `case_findings` VALUES (1,187);
INSERT INTO `case_findings` VALUES (2,220);
INSERT INTO `case_findings` VALUES (4,209);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `case_people` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `case_id` bigint(20) unsigned NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `statement` varchar(4000) NOT NULL,
  `statement_at` datetime(3) DEFAULT NULL,
  `statement_by` bigint(20) unsigned DEFAULT NULL,
  `severity` varchar(16) NOT NULL,
  `outcome` varchar(32) NOT NULL,
  `penalty_cents` bigint(20) NOT NULL,
  `leader_accountable` tinyint(1) NOT NULL,
  `aggravating` text NOT NULL,
  `mitigating` text NOT NULL,
  `decision_note` varchar(4000) NOT NULL,
  `decided_at` datetime(3) DEFAULT NULL,
  `decided_by` bigint(20) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_case_person` (`case_id`,`employee_id`),
  KEY `idx_case_people_employee_id` (`employee_id`),
  KEY `idx_case_people_decided_at` (`decided_at`),
  CONSTRAINT `fk_case_people_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `case_people` VALUES (1,1,648,'本人承认当时未按规定执行，已向顾客道歉并完成整改。','2025-12-18 21:13:26.000',6,'minor','warning',0,0,'[]','[{\"code\":\"apologised\",\"evidence\":\"回访时顾客表示谅解\",\"suggested\":false}]','情节轻微，已道歉并整改，给予警告。','2025-12-22 21:13:26.000',6);
INSERT INTO `case_people` VALUES (2,2,744,'',NULL,NULL,'','',0,0,'[]','[]','',NULL,NULL);
INSERT INTO `case_people` VALUES (3,3,648,'本人承认当时未按规定执行，已向顾客道歉并完成整改。','2026-02-21 21:13:26.000',6,'serious','no_awards',0,0,'[{\"code\":\"repeat_in_year\",\"evidence\":\"WZ-2025-000001\",\"suggested\":true}]','[]','一年内第二次被问责，取消本年度评优评先资格。','2026-02-25 21:13:26.000',6);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `certificates` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `number` varchar(32) NOT NULL,
  `code` varchar(32) NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `attempt_id` bigint(20) unsigned NOT NULL,
  `exam_id` bigint(20) unsigned NOT NULL,
  `kind` varchar(16) NOT NULL,
  `issued_at` datetime(3) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  `revoked_at` datetime(3) DEFAULT NULL,
  `revoked_reason` varchar(500) NOT NULL,
  `revoked_by` bigint(20) unsigned DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_certificates_number` (`number`),
  UNIQUE KEY `idx_certificates_code` (`code`),
  UNIQUE KEY `idx_certificates_attempt_id` (`attempt_id`),
  KEY `idx_certificate_holder` (`employee_id`,`kind`,`issued_at`),
  KEY `idx_certificates_exam_id` (`exam_id`),
  KEY `idx_certificates_expires_at` (`expires_at`),
  CONSTRAINT `fk_certificates_attempt` FOREIGN KEY (`attempt_id`) REFERENCES `attempts` (`id`),
  CONSTRAINT `fk_certificates_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`),
  CONSTRAINT `fk_certificates_exam` FOREIGN KEY (`exam_id`) REFERENCES `exams` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=319 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `certificates` VALUES (1,'LY-2026-000001','MGEUX44FEJGRZYC7GU4U4U64',1302,1,2,'etiquette','2026-07-04 02:21:48.000','2028-07-04 02:21:48.000',NULL,'',NULL,'2026-12-04 02:21:49.588');
INSERT INTO `certificates` VALUES (2,'LY-2025-000002','I7E7HAI5266SAKRHV5W4UO6T',1303,2,2,'etiquette','2025-01-03 02:21:48.000','2027-01-03 02:21:48.000',NULL,'',NULL,'2026-12-04 02:21:49.592');
INSERT INTO `certificates` VALUES (3,'LY-2024-000003','TXEEDCCECUNQA4OX4AGL333U',1312,3,2,'etiquette','2024-10-25 02:21:48.000','2026-10-25 02:21:48.000',NULL,'',NULL,'2026-12-04 02:21:49.596');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `checklist_templates` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(32) NOT NULL,
  `version` bigint(20) NOT NULL,
  `title` varchar(200) NOT NULL,
  `description` varchar(2000) NOT NULL,
  `status` varchar(16) NOT NULL,
  `sections` text NOT NULL,
  `pass_mark` bigint(20) NOT NULL,
  `published_at` datetime(3) DEFAULT NULL,
  `retired_at` datetime(3) DEFAULT NULL,
  `created_by` bigint(20) unsigned DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_template_version` (`code`,`version`),
  KEY `idx_checklist_templates_status` (`status`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `checklist_templates` VALUES (1,'HALL-SERVICE',1,'营业厅服务规范检查表','营业厅现场检查：服务项目公示（R1）、首问负责（R2）、服务态度（R9.1）、收费透明（R9.8）和厅堂环境。否决项不合格则整次检查不合格。','published','[{\"title\":\"一、服务项目公示（R1）\",\"items\":[{\"key\":\"1.1\",\"text\":\"在显著位置公示公司服务承诺\",\"guidance\":\"看厅内公示栏或电子屏；须为现行版本，内容清晰可读。\",\"rule_ref\":\"R1.1\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.2\",\"text\":\"公示服务热线和监督电话\",\"guidance\":\"两个号码都须公示，且与公司公布的号码一致；可现场拨打核实。\",\"rule_ref\":\"R1.2\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.3\",\"text\":\"公示价格政策、收费标准和收费项目\",\"guidance\":\"逐项核对公示的收费项目与现行标准是否一致。\",\"rule_ref\":\"R1.3\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.4\",\"text\":\"公示各项业务办理流程\",\"guidance\":\"开户、过户、报停、报修等常办业务均有流程说明。\",\"rule_ref\":\"R1.4\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.5\",\"text\":\"公示本地各营业网点的地址和电话\",\"guidance\":\"核对网点清单是否完整、电话是否有效。\",\"rule_ref\":\"R1.5\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.6\",\"text\":\"公示服务人员照片和工号\",\"guidance\":\"在岗人员均有照片和工号，与实际在岗人员一致。\",\"rule_ref\":\"R1.6\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true}]},{\"title\":\"二、首问负责（R2）\",\"items\":[{\"key\":\"2.1\",\"text\":\"首位接待的员工对客户诉求负责到底：自行办理或引导到承办部门\",\"guidance\":\"以普通客户身份咨询一项非本窗口业务，观察接待员工的处理。\",\"rule_ref\":\"R2.1\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"2.2\",\"text\":\"无推诿、拒绝首问责任的行为\",\"guidance\":\"出现“不归我管”“去别处问”等推诿扯皮、拒绝首问责任的情形，即为不合格（否决项）。\",\"rule_ref\":\"R2.4\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":true,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"2.3\",\"text\":\"客户资料不全或无效时，一次性告知所缺的全部材料\",\"guidance\":\"携带不全的材料办理业务，看是否一次告知全部所缺材料。\",\"rule_ref\":\"R2.5\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"2.4\",\"text\":\"不能当场办结的，说明原因，联系承办部门，告知地址和办理流程\",\"guidance\":\"\",\"rule_ref\":\"R2.6\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"2.5\",\"text\":\"疑难、重要、紧急事项立即报告领导\",\"guidance\":\"无此类事项时答“不适用”。\",\"rule_ref\":\"R2.8\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":3,\"critical\":false,\"evidence_on_fail\":false,\"required\":false}]},{\"title\":\"三、服务态度（R9.1）\",\"items\":[{\"key\":\"3.1\",\"text\":\"热情、耐心，解答准确\",\"guidance\":\"5 分：主动热情、解答准确完整；3 分：基本准确但被动；0 分：冷漠或解答错误。\",\"rule_ref\":\"R9.1\",\"response\":\"score\",\"max_score\":5,\"pass_score\":4,\"weight\":3,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"3.2\",\"text\":\"吐字清晰、语气亲切、语速适中\",\"guidance\":\"\",\"rule_ref\":\"R9.1\",\"response\":\"score\",\"max_score\":5,\"pass_score\":4,\"weight\":2,\"critical\":false,\"evidence_on_fail\":false,\"required\":true}]},{\"title\":\"四、收费透明（R9.8）\",\"items\":[{\"key\":\"4.1\",\"text\":\"收费项目和标准已公示，不收取任何未公示的费用\",\"guidance\":\"收费项目或标准未公示、收取未公示的费用，即为不合格（否决项）；抽查近期收费单据。\",\"rule_ref\":\"R9.8\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":true,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"4.2\",\"text\":\"收费执行省物价部门核定的标准\",\"guidance\":\"\",\"rule_ref\":\"R9.8\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"4.3\",\"text\":\"困难群体的优惠政策按规定落实\",\"guidance\":\"抽查享受优惠的用户记录；本厅无此类用户时答“不适用”。\",\"rule_ref\":\"R9.8\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":3,\"critical\":false,\"evidence_on_fail\":true,\"required\":false}]},{\"title\":\"五、厅堂环境\",\"items\":[{\"key\":\"5.1\",\"text\":\"厅堂整洁明亮，无杂物堆放\",\"guidance\":\"\",\"rule_ref\":\"\",\"response\":\"score\",\"max_score\":5,\"pass_score\":3,\"weight\":2,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"5.2\",\"text\":\"便民设施（座椅、饮水、书写台、老花镜等）齐全可用\",\"guidance\":\"\",\"rule_ref\":\"\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":2,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"5.3\",\"text\":\"员工着装整齐，佩戴工号牌\",\"guidance\":\"\",\"rule_ref\":\"R1.6\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":2,\"critical\":false,\"evidence_on_fail\":true,\"required\":true}]}]',80,'2026-12-04 02:21:48.911',NULL,NULL,'2026-12-04 02:21:48.910','2026-12-04 02:21:48.911');
INSERT INTO `checklist_templates` VALUES (2,'HOME-VISIT',1,'上门服务抽查表','上门安装、维修服务的抽查（R9.7），可随工或回访用户后填写。','published','[{\"title\":\"一、上门服务规范（R9.7）\",\"items\":[{\"key\":\"1.1\",\"text\":\"按约定时间到达\",\"guidance\":\"迟到须事先电话告知用户并取得谅解，否则为不合格。\",\"rule_ref\":\"R9.7\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.2\",\"text\":\"主动出示工作证件\",\"guidance\":\"\",\"rule_ref\":\"R9.7\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.3\",\"text\":\"用语文明，礼貌待客\",\"guidance\":\"\",\"rule_ref\":\"R9.7\",\"response\":\"score\",\"max_score\":5,\"pass_score\":4,\"weight\":2,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"1.4\",\"text\":\"爱护用户设备和家居，不乱动用户物品\",\"guidance\":\"\",\"rule_ref\":\"R9.7\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.5\",\"text\":\"完工后清理现场，不留垃圾\",\"guidance\":\"\",\"rule_ref\":\"R9.7\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":3,\"critical\":false,\"evidence_on_fail\":true,\"required\":true}]},{\"title\":\"二、时限（R4）\",\"items\":[{\"key\":\"2.1\",\"text\":\"故障在时限内修复（一般故障 24 小时，重大故障 72 小时）\",\"guidance\":\"核对工单受理和完成时间；用户原因未能按约上门的，须有书面说明（R4.4）。\",\"rule_ref\":\"R4.1\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"2.2\",\"text\":\"新装在时限内完成（城镇 5 个工作日，农村 10 个工作日）\",\"guidance\":\"非新装工单答“不适用”。\",\"rule_ref\":\"R4.2\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":false,\"required\":false}]}]',80,'2026-12-04 02:21:48.917',NULL,NULL,'2026-12-04 02:21:48.915','2026-12-04 02:21:48.917');
INSERT INTO `checklist_templates` VALUES (3,'HOTLINE',1,'客服热线抽查表','以客户身份拨打客服热线或调听录音进行抽查（R9.2、R2.5）。','published','[{\"title\":\"一、接听与响应（R9.2）\",\"items\":[{\"key\":\"1.1\",\"text\":\"热线 24 小时有人接听\",\"guidance\":\"在夜间或节假日拨打一次。\",\"rule_ref\":\"R9.2\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":false,\"evidence_on_fail\":true,\"required\":true},{\"key\":\"1.2\",\"text\":\"投诉在 4 小时内响应\",\"guidance\":\"核对投诉工单的受理和首次响应时间。\",\"rule_ref\":\"R9.2\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":false,\"evidence_on_fail\":false,\"required\":true}]},{\"title\":\"二、首问负责（R2）\",\"items\":[{\"key\":\"2.1\",\"text\":\"客户资料不全时，一次性告知所需的全部材料\",\"guidance\":\"\",\"rule_ref\":\"R2.5\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"2.2\",\"text\":\"不能即时解决的，告知处理流程和时限并转派承办部门\",\"guidance\":\"\",\"rule_ref\":\"R2.6\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":5,\"critical\":false,\"evidence_on_fail\":false,\"required\":true},{\"key\":\"2.3\",\"text\":\"无推诿、冷漠、敷衍\",\"guidance\":\"出现推诿、拒绝首问责任的情形，即为不合格（否决项）；须附录音说明。\",\"rule_ref\":\"R2.4\",\"response\":\"pass_fail\",\"max_score\":1,\"pass_score\":0,\"weight\":10,\"critical\":true,\"evidence_on_fail\":false,\"required\":true}]},{\"title\":\"三、服务用语（R9.1）\",\"items\":[{\"key\":\"3.1\",\"text\":\"服务用语规范，语气亲切，语速适中\",\"guidance\":\"\",\"rule_ref\":\"R9.1\",\"response\":\"score\",\"max_score\":5,\"pass_score\":4,\"weight\":3,\"critical\":false,\"evidence_on_fail\":false,\"required\":true}]}]',80,'2026-12-04 02:21:48.921',NULL,NULL,'2026-12-04 02:21:48.920','2026-12-04 02:21:48.921');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `completions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `course_id` bigint(20) unsigned NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `at` datetime(3) NOT NULL,
  `method` varchar(16) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_completion` (`course_id`,`employee_id`),
  KEY `idx_completions_employee_id` (`employee_id`),
  CONSTRAINT `fk_completions_course` FOREIGN KEY (`course_id`) REFERENCES `courses` (`id`),
  CONSTRAINT `fk_completions_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=133 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `completions` VALUES (1,1,1053,'2026-10-22 10:00:00.000','online');
INSERT INTO `completions` VALUES (2,3,1053,'2026-10-22 10:00:00.000','online');
INSERT INTO `completions` VALUES (3,1,1391,'2026-11-01 10:00:00.000','online');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `course_sessions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `course_id` bigint(20) unsigned NOT NULL,
  `starts_at` datetime(3) NOT NULL,
  `ends_at` datetime(3) NOT NULL,
  `place` varchar(200) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `sign_in_code` varchar(16) DEFAULT NULL,
  `sign_in_expires` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_course_sessions_course_id` (`course_id`),
  KEY `idx_course_sessions_org_unit_id` (`org_unit_id`),
  CONSTRAINT `fk_course_sessions_course` FOREIGN KEY (`course_id`) REFERENCES `courses` (`id`),
  CONSTRAINT `fk_course_sessions_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `courses` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL,
  `category` varchar(16) NOT NULL,
  `mode` varchar(16) NOT NULL,
  `status` varchar(16) NOT NULL,
  `positions` text NOT NULL,
  `materials` mediumtext NOT NULL,
  `published_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_courses_category` (`category`),
  KEY `idx_courses_status` (`status`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `courses` VALUES (1,'公司基础知识','basics','online','published','[]','[{\"title\":\"服务项目公示（R1）\",\"text\":\"每个营业厅必须在醒目位置公示：公司服务承诺；服务热线和监督电话；资费政策、收费标准和收费项目；业务办理流程；本地营业网点的地址和电话；服务人员的照片和工号。\"},{\"title\":\"首问责任制（R2）\",\"text\":\"客户首先接触到的员工即为首问责任人，负责办理或引导客户到承办部门，适用于来访、来电、咨询、投诉和业务申请。要热情文明，不得冷漠、推诿、敷衍；资料不全时一次性告知客户全部所缺材料；能当场解决的当场解决，不能的要解释、转办、电话联系承办部门并告知地址和流程；疑难、重要、紧急事项立即向领导报告。\"},{\"title\":\"客服合同制与片区责任（R3）\",\"text\":\"维护人员按户数包片：市公司约每人 4,500 户，县分公司约每人 2,000 户。各社区、街道公布服务电话、监督电话和责任人照片、工号。片区责任人按月考核投诉率、工单 24 小时响应率和客户满意度，年度汇总；片区调整要及时公布。\"},{\"title\":\"限时办结制（R4）\",\"text\":\"一般故障 24 小时内修复，重大故障 72 小时内修复；有网络条件的新装业务城区 5 个工作日、农村 10 个工作日内完成；恢复业务 5 个工作日内完成；投诉 3 个工作日内答复。时限自客户手续齐全时起算；预约时客户联系不上或不在家的视为按时完成，但须立即书面说明原因；延期须经领导批准；违反时限的按问责制处理。\"},{\"title\":\"客户回访制（R5）\",\"text\":\"报修和投诉工单 100% 在 72 小时内回访，新装业务 100% 回访；回访中发现的问题要整改并向客户说明；回访要记录并分析；大客户定期计划回访。\"}]','2026-12-04 02:21:48.895','2026-12-04 02:21:48.894','2026-12-04 02:21:48.895');
INSERT INTO `courses` VALUES (2,'服务礼仪','etiquette','face_to_face','published','[\"window\",\"installer\",\"marketing\"]','[{\"title\":\"窗口服务礼仪\",\"text\":\"仪容整洁、着装统一、佩戴工号牌；起身迎客、微笑问候、使用文明用语；首问负责，一次性告知所需材料；不推诿、不冷落、不与客户争执；送客道别。\"},{\"title\":\"上门安装维护礼仪\",\"text\":\"按预约时间准时上门，无法准时须提前告知；出示工号，穿鞋套，爱护客户物品；施工后清理现场，向客户说明使用方法；不收受客户财物，不吸客户的烟。\"},{\"title\":\"营销服务礼仪\",\"text\":\"如实介绍资费和业务，不夸大、不误导、不强行推销；尊重客户选择；做好记录并按时回访。\"}]','2026-12-04 02:21:48.898','2026-12-04 02:21:48.897','2026-12-04 02:21:48.898');
INSERT INTO `courses` VALUES (3,'职业道德','ethics','online','published','[]','[{\"title\":\"职业道德教育（R8.4）\",\"text\":\"遵守法律法规和公司制度，诚实守信，廉洁自律，保守客户信息，文明服务，爱岗敬业。\"},{\"title\":\"问责制（R6）\",\"text\":\"违反法律法规或公司制度，违反服务规范损害公司形象，或失职造成客户中不良影响的，要追究责任。情节轻微的警告；情节严重造成不良后果的取消评先评优资格；情节特别严重的通报批评、给予行政和经济处罚，并追究主要领导的领导责任。打击报复投诉人或调查人、一年内两次及以上、阻碍调查、不执行监督决定的从重；道歉并获客户谅解、有效防止不良后果、纠正并挽回全部或大部分损失的从轻或免责。作出处理前必须听取并记录本人的陈述和申辩。\"}]','2026-12-04 02:21:48.901','2026-12-04 02:21:48.900','2026-12-04 02:21:48.901');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `employees` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `job_number` varchar(32) NOT NULL,
  `name` varchar(64) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `position` varchar(16) NOT NULL,
  `hire_date` date NOT NULL,
  `status` varchar(16) NOT NULL,
  `phone` varchar(32) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_employees_job_number` (`job_number`),
  KEY `idx_employees_name` (`name`),
  KEY `idx_employees_org_unit_id` (`org_unit_id`),
  KEY `idx_employees_position` (`position`),
  KEY `idx_employees_status` (`status`),
  CONSTRAINT `fk_employees_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2738 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `employees` VALUES (1,'36001','张斌林',1,'other','2024-06-08','active','19611343967','2026-12-04 02:21:49.037','2026-12-04 02:21:49.037');
INSERT INTO `employees` VALUES (2,'36002','谢雪燕',1,'other','2019-04-11','active','15599523669','2026-12-04 02:21:49.037','2026-12-04 02:21:49.037');
INSERT INTO `employees` VALUES (3,'36003','龙颖俊',1,'other','2018-07-15','active','18314545779','2026-12-04 02:21:49.037','2026-12-04 02:21:49.037');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `escalations` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `rectification_id` bigint(20) unsigned NOT NULL,
  `level` varchar(16) NOT NULL,
  `notified_unit_id` bigint(20) unsigned NOT NULL,
  `at` datetime(3) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_escalation` (`rectification_id`,`level`),
  KEY `idx_escalations_notified_unit_id` (`notified_unit_id`),
  KEY `idx_escalations_at` (`at`),
  CONSTRAINT `fk_escalations_rectification` FOREIGN KEY (`rectification_id`) REFERENCES `rectifications` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `exam_overrides` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `exam_id` bigint(20) unsigned NOT NULL,
  `employee_id` bigint(20) unsigned NOT NULL,
  `extra_minutes` bigint(20) NOT NULL,
  `extra_attempts` bigint(20) NOT NULL,
  `reason` varchar(500) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_override` (`exam_id`,`employee_id`),
  KEY `fk_exam_overrides_employee` (`employee_id`),
  CONSTRAINT `fk_exam_overrides_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`) ON DELETE CASCADE,
  CONSTRAINT `fk_exam_overrides_exam` FOREIGN KEY (`exam_id`) REFERENCES `exams` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `exams` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL,
  `kind` varchar(16) NOT NULL,
  `status` varchar(16) NOT NULL,
  `blueprint` text NOT NULL,
  `fixed` text NOT NULL,
  `time_limit_minutes` bigint(20) NOT NULL,
  `opens_at` datetime(3) NOT NULL,
  `closes_at` datetime(3) NOT NULL,
  `pass_percent` bigint(20) NOT NULL,
  `attempts_allowed` bigint(20) NOT NULL,
  `cool_off_minutes` bigint(20) NOT NULL,
  `grading` varchar(16) NOT NULL,
  `shuffle_questions` tinyint(1) NOT NULL,
  `shuffle_options` tinyint(1) NOT NULL,
  `positions` text NOT NULL,
  `org_unit_ids` text NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_exams_kind` (`kind`),
  KEY `idx_exams_status` (`status`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `exams` VALUES (1,'新员工入职考试','onboarding','published','[{\"category\":\"basics\",\"difficulty\":1,\"count\":8,\"points\":5},{\"category\":\"basics\",\"difficulty\":2,\"count\":6,\"points\":5},{\"category\":\"etiquette\",\"difficulty\":1,\"count\":3,\"points\":5},{\"category\":\"ethics\",\"difficulty\":0,\"count\":3,\"points\":5}]','[]',30,'2026-01-01 00:00:00.000','2028-01-01 00:00:00.000',60,3,60,'highest',1,1,'[]','[]','2026-12-04 02:21:48.875','2026-12-04 02:21:48.882');
INSERT INTO `exams` VALUES (2,'服务礼仪认证考试','etiquette','published','[{\"category\":\"etiquette\",\"difficulty\":1,\"count\":5,\"points\":5},{\"category\":\"etiquette\",\"difficulty\":2,\"count\":8,\"points\":5},{\"category\":\"etiquette\",\"difficulty\":3,\"count\":4,\"points\":5},{\"category\":\"ethics\",\"difficulty\":0,\"count\":3,\"points\":5}]','[]',45,'2026-01-01 00:00:00.000','2028-01-01 00:00:00.000',80,2,1440,'highest',1,1,'[\"window\",\"installer\",\"marketing\"]','[]','2026-12-04 02:21:48.884','2026-12-04 02:21:48.887');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `findings` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `inspection_id` bigint(20) unsigned NOT NULL,
  `inspection_item_id` bigint(20) unsigned NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `item_key` varchar(16) NOT NULL,
  `rule_ref` varchar(16) NOT NULL,
  `text` varchar(1000) NOT NULL,
  `note` varchar(2000) NOT NULL,
  `critical` tinyint(1) NOT NULL,
  `found_at` datetime(3) NOT NULL,
  `voided_at` datetime(3) DEFAULT NULL,
  `void_reason` varchar(1000) NOT NULL,
  `voided_by` bigint(20) unsigned DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_findings_inspection_item_id` (`inspection_item_id`),
  KEY `idx_findings_inspection_id` (`inspection_id`),
  KEY `idx_findings_org_unit_id` (`org_unit_id`),
  KEY `idx_findings_rule_ref` (`rule_ref`),
  KEY `idx_findings_found_at` (`found_at`),
  CONSTRAINT `fk_findings_inspection` FOREIGN KEY (`inspection_id`) REFERENCES `inspections` (`id`),
  CONSTRAINT `fk_findings_inspection_item` FOREIGN KEY (`inspection_item_id`) REFERENCES `inspection_items` (`id`),
  CONSTRAINT `fk_findings_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=748 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `findings` VALUES (1,1,2,109,'1.2','R1.2','公示服务热线和监督电话','现场检查不符合要求：公示服务热线和监督电话（R1.2）',0,'2025-12-16 00:37:52.000',NULL,'',NULL,'2025-12-16 00:37:52.000');
INSERT INTO `findings` VALUES (2,1,5,109,'1.5','R1.5','公示本地各营业网点的地址和电话','现场检查不符合要求：公示本地各营业网点的地址和电话（R1.5）',0,'2025-12-16 00:37:52.000',NULL,'',NULL,'2025-12-16 00:37:52.000');
INSERT INTO `findings` VALUES (3,1,6,109,'1.6','R1.6','公示服务人员照片和工号','经现场提醒仍未做到：公示服务人员照片和工号（R1.6）',0,'2025-12-16 00:37:52.000',NULL,'',NULL,'2025-12-16 00:37:52.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `grants` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_id` bigint(20) unsigned NOT NULL,
  `role` varchar(16) NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_grant` (`user_id`,`role`,`org_unit_id`),
  KEY `idx_grants_org_unit_id` (`org_unit_id`),
  CONSTRAINT `fk_grants_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`),
  CONSTRAINT `fk_users_grants` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `grants` VALUES (1,1,'admin',1);
INSERT INTO `grants` VALUES (2,2,'trainer',1);
INSERT INTO `grants` VALUES (3,3,'inspector',2);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `handbook_versions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `version` varchar(16) NOT NULL,
  `major` bigint(20) NOT NULL,
  `minor` bigint(20) NOT NULL,
  `title` varchar(200) NOT NULL,
  `body` mediumtext NOT NULL,
  `status` varchar(16) NOT NULL,
  `published_at` datetime(3) DEFAULT NULL,
  `current_key` bigint(20) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_handbook_versions_version` (`version`),
  UNIQUE KEY `idx_handbook_versions_current_key` (`current_key`),
  KEY `idx_handbook_versions_major` (`major`),
  KEY `idx_handbook_versions_status` (`status`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `handbook_versions` VALUES (1,'1.0',1,0,'员工服务手册','# 员工服务手册\n\n本手册依据公司提高广电网络服务水平工作方案确立的九项客户服务制度编写，适用于省公司、各市分公司、县分公司和营业厅的全体员工。它回答一个问题：在服务客户时，什么该做，什么不该做（R8.1）。请通读全文，并在系统中点击“我已阅读并确认”；手册出现重大修订时，需要重新确认。\n\n手册中的时限和比例是公司现行标准，由省公司统一调整，以系统中的最新版本为准。\n\n## 一、服务项目公示\n\n公示让客户明明白白消费，也让客户参与监督。\n\n应当做：\n\n- 在营业厅醒目位置张贴公司的服务承诺（R1.1）、服务热线和服务监督电话（R1.2）。\n- 公示价格政策、收费标准和收费项目（R1.3），以及业务办理流程（R1.4）。\n- 公示当地各营业网点的地址和联系电话（R1.5）。\n- 公示服务人员的照片和工号（R1.6）；人员变动后当天更新。\n\n不得：公示内容过期、残缺或被遮挡；收取公示以外的任何费用。\n\n## 二、首问负责\n\n客户找到的第一位员工就是首问责任人，负责办理，或把客户带到能办理的部门（R2.1）。来访、来电、咨询、投诉和业务受理都适用（R2.2）。\n\n应当做：\n\n- 热情、文明、规范地接待，主动询问客户需要什么（R2.4）。\n- 客户材料不齐全或不符合要求时，一次性告知需要补正的全部材料，并说明理由（R2.5）。\n- 能当场办理的当场办结；不能当场办理或不属于本岗位职责的，说明原因，告知承办部门的地址、电话和流程，必要时直接打电话联系相关部门（R2.6）。\n- 拿不准的政策先请教领导，再给客户准确答复；不确定、特别重要或紧急的事项，立即向领导报告（R2.8）。\n- 窗口人员指导客户填写材料、受理和协调业务；对超过时限仍未办结的业务，向窗口负责人报告（R2.9）。\n\n不得：冷漠生硬，推诿扯皮，敷衍了事；让客户为补材料来回跑；以“不归我管”打发客户。\n\n## 三、客户服务合同制与区域负责\n\n维护人员按区域包户：市分公司约每人 4500 户，县分公司约每人 2000 户（R3.1）。\n\n应当做：\n\n- 在所负责的社区、街道公布服务电话、监督电话和责任人的照片、工号（R3.2）。\n- 熟悉本区域用户，主动维护用户稳定，完成年度用户增长目标（R3.4）。\n- 知道自己每月考核的三项指标：用户投诉率、工单 24 小时响应率和用户满意度（R3.3）。\n- 区域分工变动时，及时重新公示（R3.5）。\n\n不得：把自己区域的工单转给他人了事；擅自更换负责人而不公示。\n\n## 四、限时办结\n\n客户手续齐全、材料完整、符合条件的，立即办理，不得借故拖延或刁难。\n\n- 一般故障 24 小时内修复，重大故障 72 小时内修复（R4.1）。\n- 已通网区域新装开通：城市不超过 5 个工作日，农村不超过 10 个工作日；业务恢复不超过 5 个工作日；投诉答复不超过 3 个工作日（R4.2）。\n- 时限从客户手续办齐之日起计算（R4.3）。\n- 客户联系不上或预约上门时不在家的，视为按期办结，但必须第一时间向业务负责人书面报告原因（R4.4）。\n- 确需延期的，事先报领导批准（R4.5）；重大投诉和重要客户随叫随到。\n\n不得：超时不报、私自延期；以客户原因为借口而不留书面记录。违反时限规定的，按问责制处理（R4.6）。\n\n## 五、客户回访\n\n应当做：\n\n- 维修和投诉工单 100% 回访，在客户来电后 72 小时内跟踪处理结果（R5.1）。\n- 回访中发现的问题及时解决，并向客户解释清楚（R5.2）。\n- 如实记录每一次回访，便于分析改进（R5.3）。\n- 按计划定期回访大客户（R5.4）。\n\n不得：只打电话不解决问题；编造回访记录。\n\n## 六、问责\n\n问责是内部监督制度，坚持实事求是、有责必问、有错必纠、教育与惩处相结合，适用于全体员工（R6.1）。\n\n- 以下行为将被追究：违反国家法律法规和政策；违反本手册各项服务制度、损害公司形象；其他失职、渎职并在客户中造成不良影响（R6.2）。\n- 处理按情节轻重：情节轻微的警告；情节严重、造成不良后果的取消评先评优资格，并可对单位负责人给予警告；情节特别严重的通报批评、给予行政和经济处罚，并追究主要负责人的领导责任（R6.5）。\n- 从重处理：打击报复投诉人或调查人员；一年内两次以上被问责；干扰调查；不执行监察决定（R6.6）。\n- 从轻或免予处理：主动道歉并取得客户谅解；有效防止不良后果；积极纠正并挽回全部或大部分损失（R6.7）。\n- 作出处理前，当事人有权陈述和申辩，公司会听取并记录（R6.8）。\n\n## 七、服务监督检查\n\n监督检查覆盖各级公司的所有人员（R7.1）。督导员会到营业网点巡查服务现场、公示内容和工作记录（R7.2），发现问题要求限期整改（R7.3）。\n\n应当做：配合检查，如实提供记录；按期完成整改并提交整改材料。\n\n不得：检查时临时布置、弄虚作假；整改逾期不报。\n\n## 八、服务培训\n\n- 每位员工阅读并确认本手册（R8.1）。\n- 新员工参加公司基础知识培训，并通过入职考试（R8.2）。\n- 营业厅窗口、安装维护和市场营销人员参加服务礼仪培训和认证考试（R8.3）。\n- 全体员工接受职业道德教育，诚实守信、与人为善（R8.4）。\n\n培训分面授和网上学习，由省公司统一组织和考核。\n\n## 九、服务承诺与行为规范\n\n对客户的每一项承诺，都要靠每一位员工兑现。\n\n- 阳光微笑：热情耐心，吐字清晰，语气友好，语速适中，回答准确、简洁、重点突出（R9.1）。\n- 全天候受理：24 小时投诉电话，4 小时内响应（R9.2）。\n- 全面覆盖：服务区域内每一位用户都是我们的服务对象（R9.3）。\n- 高效处理：故障修复和开通时限见第四部分（R9.4）。\n- 提前告知：线路维护和业务变更提前 24 小时公告；费用到期前通过电话、短信或电视字幕提醒用户（R9.5）。\n- 百分之百回访：新装、维修和投诉全部回访（R9.6）。\n- 规范上门：遵守预约时间，主动出示工作证件，使用礼貌用语，爱护用户设施，完工后清理现场（R9.7）。\n- 收费透明：公示收费项目和标准，政策性收费严格执行省物价部门文件，落实困难用户优惠政策（R9.8）。\n\n不得：迟到爽约不打招呼；上门不出示证件；损坏用户物品；乱收费或私自收费；对客户使用服务忌语。\n\n## 附：常用时限\n\n| 事项 | 时限 |\n| --- | --- |\n| 投诉电话响应 | 4 小时 |\n| 一般故障修复 | 24 小时 |\n| 重大故障修复 | 72 小时 |\n| 维修、投诉回访 | 来电后 72 小时内 |\n| 新装开通（城市 / 农村） | 5 / 10 个工作日 |\n| 业务恢复 | 5 个工作日 |\n| 投诉答复 | 3 个工作日 |\n| 维护、变更公告 | 提前 24 小时 |\n\n对本手册有疑问，请向所在单位负责人或省公司培训部门咨询。','published','2026-12-04 02:21:48.891',1,'2026-12-04 02:21:48.889','2026-12-04 02:21:48.891');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `inspection_items` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `inspection_id` bigint(20) unsigned NOT NULL,
  `key` varchar(16) NOT NULL,
  `position` bigint(20) NOT NULL,
  `section` varchar(200) NOT NULL,
  `text` varchar(1000) NOT NULL,
  `guidance` varchar(2000) NOT NULL,
  `rule_ref` varchar(16) NOT NULL,
  `response` varchar(16) NOT NULL,
  `max_score` bigint(20) NOT NULL,
  `pass_score` bigint(20) NOT NULL,
  `weight` bigint(20) NOT NULL,
  `critical` tinyint(1) NOT NULL,
  `evidence_on_fail` tinyint(1) NOT NULL,
  `required` tinyint(1) NOT NULL,
  `outcome` varchar(8) NOT NULL,
  `points` bigint(20) DEFAULT NULL,
  `note` varchar(2000) NOT NULL,
  `rev` bigint(20) NOT NULL,
  `answered_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_inspection_item` (`inspection_id`,`key`)
) ENGINE=InnoDB AUTO_INCREMENT=7077 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `inspection_items` VALUES (1,1,'1.1',1,'一、服务项目公示（R1）','在显著位置公示公司服务承诺','看厅内公示栏或电子屏；须为现行版本，内容清晰可读。','R1.1','pass_fail',1,0,5,0,1,1,'pass',1,'',1,'2025-12-16 00:16:52.000');
INSERT INTO `inspection_items` VALUES (2,1,'1.2',2,'一、服务项目公示（R1）','公示服务热线和监督电话','两个号码都须公示，且与公司公布的号码一致；可现场拨打核实。','R1.2','pass_fail',1,0,5,0,1,1,'fail',0,'现场检查不符合要求：公示服务热线和监督电话（R1.2）',1,'2025-12-16 00:17:52.000');
INSERT INTO `inspection_items` VALUES (3,1,'1.3',3,'一、服务项目公示（R1）','公示价格政策、收费标准和收费项目','逐项核对公示的收费项目与现行标准是否一致。','R1.3','pass_fail',1,0,5,0,1,1,'pass',1,'',1,'2025-12-16 00:18:52.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `inspections` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `client_id` varchar(64) NOT NULL,
  `request_hash` varchar(64) NOT NULL,
  `inspector_id` bigint(20) unsigned NOT NULL,
  `template_id` bigint(20) unsigned NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `patrol_stop_id` bigint(20) unsigned DEFAULT NULL,
  `follow_up_of` bigint(20) unsigned DEFAULT NULL,
  `status` varchar(16) NOT NULL,
  `started_at` datetime(3) NOT NULL,
  `submitted_at` datetime(3) DEFAULT NULL,
  `lat` double DEFAULT NULL,
  `lng` double DEFAULT NULL,
  `distance_m` bigint(20) DEFAULT NULL,
  `far_from_outlet` tinyint(1) NOT NULL,
  `confirmation` varchar(200) NOT NULL,
  `earned` bigint(20) NOT NULL,
  `possible` bigint(20) NOT NULL,
  `score` decimal(5,2) DEFAULT NULL,
  `result` varchar(16) NOT NULL,
  `critical_failed` tinyint(1) NOT NULL,
  `reopen_count` bigint(20) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_inspection_client` (`client_id`,`inspector_id`),
  KEY `idx_inspections_inspector_id` (`inspector_id`),
  KEY `idx_inspections_template_id` (`template_id`),
  KEY `idx_inspections_org_unit_id` (`org_unit_id`),
  KEY `idx_inspections_patrol_stop_id` (`patrol_stop_id`),
  KEY `idx_inspections_follow_up_of` (`follow_up_of`),
  KEY `idx_inspections_status` (`status`),
  KEY `idx_inspections_started_at` (`started_at`),
  KEY `idx_inspections_submitted_at` (`submitted_at`),
  KEY `idx_inspections_result` (`result`),
  CONSTRAINT `fk_inspections_inspector` FOREIGN KEY (`inspector_id`) REFERENCES `users` (`id`),
  CONSTRAINT `fk_inspections_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`),
  CONSTRAINT `fk_inspections_template` FOREIGN KEY (`template_id`) REFERENCES `checklist_templates` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=446 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `inspections` VALUES (1,'demo-109-1765844152','demo',6,1,109,NULL,NULL,'submitted','2025-12-16 00:15:52.000','2025-12-16 00:37:52.000',25.65225,114.92703,75,0,'本人确认以上检查结果属实',82,120,68.33,'fail',0,0,'2025-12-16 00:15:52.000','2025-12-16 00:37:52.000');
INSERT INTO `inspections` VALUES (2,'demo-110-1771709717','demo',6,1,110,NULL,NULL,'submitted','2026-02-21 21:35:17.000','2026-02-21 21:57:17.000',26.04939,114.93846,54,0,'本人确认以上检查结果属实',110,120,91.67,'pass',0,0,'2026-02-21 21:35:17.000','2026-02-21 21:57:17.000');
INSERT INTO `inspections` VALUES (3,'demo-109-1776305144','demo',6,3,109,NULL,NULL,'submitted','2026-04-16 02:05:44.000','2026-04-16 02:14:44.000',25.65225,114.92703,126,0,'本人确认以上检查结果属实',40,55,72.73,'fail',0,0,'2026-04-16 02:05:44.000','2026-04-16 02:14:44.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `login_throttles` (
  `key` varchar(191) NOT NULL,
  `failures` bigint(20) NOT NULL,
  `last_failed_at` datetime(3) NOT NULL,
  `blocked_until` datetime(3) NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `onboarding_plans` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `due_days` bigint(20) NOT NULL,
  `window_days` bigint(20) NOT NULL,
  `course_ids` text NOT NULL,
  `exam_id` bigint(20) unsigned DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `onboarding_plans` VALUES (1,30,180,'[1,3]',1,'2026-12-04 02:21:48.905');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `org_units` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(32) NOT NULL,
  `name` varchar(100) NOT NULL,
  `level` varchar(16) NOT NULL,
  `parent_id` bigint(20) unsigned DEFAULT NULL,
  `path` varchar(191) NOT NULL,
  `urban` tinyint(1) NOT NULL,
  `households` bigint(20) NOT NULL,
  `address` varchar(200) NOT NULL,
  `phone` varchar(32) NOT NULL,
  `lat` double DEFAULT NULL,
  `lng` double DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_org_units_code` (`code`),
  KEY `idx_org_units_level` (`level`),
  KEY `idx_org_units_parent_id` (`parent_id`),
  KEY `idx_org_units_path` (`path`),
  CONSTRAINT `fk_org_units_parent` FOREIGN KEY (`parent_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=272 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `org_units` VALUES (1,'36','江西省广播电视网络传输有限公司','province',NULL,'/1/',1,7436791,'','',NULL,NULL,'2026-12-04 02:21:48.728','2026-12-04 02:21:48.728');
INSERT INTO `org_units` VALUES (2,'3601','南昌市分公司','city',1,'/1/2/',1,1166766,'','',NULL,NULL,'2026-12-04 02:21:48.728','2026-12-04 02:21:48.728');
INSERT INTO `org_units` VALUES (3,'360102','东湖区分公司','county',2,'/1/2/3/',1,168367,'','',NULL,NULL,'2026-12-04 02:21:48.728','2026-12-04 02:21:48.728');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `patrol_plans` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL,
  `inspector_id` bigint(20) unsigned NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `template_code` varchar(32) NOT NULL,
  `starts_on` date NOT NULL,
  `ends_on` date NOT NULL,
  `created_by` bigint(20) unsigned DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_patrol_plans_inspector_id` (`inspector_id`),
  KEY `idx_patrol_plans_org_unit_id` (`org_unit_id`),
  KEY `idx_patrol_plans_starts_on` (`starts_on`),
  KEY `idx_patrol_plans_ends_on` (`ends_on`),
  CONSTRAINT `fk_patrol_plans_inspector` FOREIGN KEY (`inspector_id`) REFERENCES `users` (`id`),
  CONSTRAINT `fk_patrol_plans_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `patrol_plans` VALUES (1,'2026年12月营业厅巡查',3,2,'HALL-SERVICE','2026-12-01','2026-12-31',NULL,'2026-12-01 00:00:00.000','2026-12-01 00:00:00.000');
INSERT INTO `patrol_plans` VALUES (2,'2026年第3季度全省营业厅抽查',6,1,'HALL-SERVICE','2026-09-01','2026-11-30',NULL,'2026-09-01 00:00:00.000','2026-09-01 00:00:00.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `patrol_stops` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `plan_id` bigint(20) unsigned NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `due_on` date NOT NULL,
  `inspection_id` bigint(20) unsigned DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_patrol_stop` (`plan_id`,`org_unit_id`),
  KEY `idx_patrol_stops_org_unit_id` (`org_unit_id`),
  KEY `idx_patrol_stops_due_on` (`due_on`),
  KEY `idx_patrol_stops_inspection_id` (`inspection_id`),
  CONSTRAINT `fk_patrol_stops_org_unit` FOREIGN KEY (`org_unit_id`) REFERENCES `org_units` (`id`),
  CONSTRAINT `fk_patrol_stops_plan` FOREIGN KEY (`plan_id`) REFERENCES `patrol_plans` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=20 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `patrol_stops` VALUES (1,1,13,'2026-12-04',NULL);
INSERT INTO `patrol_stops` VALUES (2,1,16,'2026-12-07',NULL);
INSERT INTO `patrol_stops` VALUES (3,1,19,'2026-12-10',NULL);
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `photos` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `sha256` varchar(64) NOT NULL,
  `size` bigint(20) NOT NULL,
  `mime` varchar(32) NOT NULL,
  `width` bigint(20) NOT NULL,
  `height` bigint(20) NOT NULL,
  `inspection_item_id` bigint(20) unsigned DEFAULT NULL,
  `rectification_id` bigint(20) unsigned DEFAULT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `captured_at` datetime(3) DEFAULT NULL,
  `uploaded_by` bigint(20) unsigned NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_photos_sha256` (`sha256`),
  KEY `idx_photos_inspection_item_id` (`inspection_item_id`),
  KEY `idx_photos_rectification_id` (`rectification_id`),
  KEY `idx_photos_org_unit_id` (`org_unit_id`)
) ENGINE=InnoDB AUTO_INCREMENT=1441 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `photos` VALUES (1,'754a0557138f4b6103270b293b3a7326fed1d4d419e2e518cfce6803ab4dd9d7',148,'image/png',64,48,2,NULL,109,'2025-12-16 00:37:52.000',6,'2025-12-16 00:37:52.000');
INSERT INTO `photos` VALUES (2,'754a0557138f4b6103270b293b3a7326fed1d4d419e2e518cfce6803ab4dd9d7',148,'image/png',64,48,NULL,1,109,'2025-12-18 00:37:52.000',6,'2025-12-18 00:37:52.000');
INSERT INTO `photos` VALUES (3,'754a0557138f4b6103270b293b3a7326fed1d4d419e2e518cfce6803ab4dd9d7',148,'image/png',64,48,NULL,1,109,'2025-12-20 00:37:52.000',6,'2025-12-20 00:37:52.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `questions` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `code` varchar(64) NOT NULL,
  `version` bigint(20) NOT NULL,
  `latest` tinyint(1) NOT NULL,
  `archived` tinyint(1) NOT NULL,
  `kind` varchar(16) NOT NULL,
  `category` varchar(16) NOT NULL,
  `difficulty` bigint(20) NOT NULL,
  `stem` text NOT NULL,
  `options` text NOT NULL,
  `answer` text NOT NULL,
  `accepted` text NOT NULL,
  `explanation` text NOT NULL,
  `rule` varchar(16) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `ux_question_version` (`code`,`version`),
  KEY `idx_questions_latest` (`latest`),
  KEY `idx_questions_category` (`category`)
) ENGINE=InnoDB AUTO_INCREMENT=119 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `questions` VALUES (1,'q001',1,1,0,'single','basics',1,'按照服务项目公示制度,营业厅应当公示哪两类电话?','[\"区域维护人员的私人手机和家庭电话\",\"公司领导的办公电话和传真\",\"服务热线和服务监督电话\",\"省物价局和消费者协会的举报电话\"]','[2]','[]','服务项目公示制度要求在营业厅公示服务热线和服务监督电话。','R1.2','2026-12-04 02:21:48.745','2026-12-04 02:21:48.745');
INSERT INTO `questions` VALUES (2,'q002',1,1,0,'single','basics',1,'按照服务项目公示制度,营业厅应公示服务人员的哪些信息?','[\"照片和工号\",\"姓名和家庭住址\",\"学历和职称\",\"身份证号码和手机号码\"]','[0]','[]','服务项目公示制度要求在营业厅公示服务人员的照片和工号。','R1.6','2026-12-04 02:21:48.747','2026-12-04 02:21:48.747');
INSERT INTO `questions` VALUES (3,'q003',1,1,0,'multiple','basics',2,'按照服务项目公示制度,营业厅在价格收费方面应公示哪些内容?','[\"员工的工资标准\",\"相关价格收费政策\",\"收费标准\",\"收费项目\"]','[1,2,3]','[]','服务项目公示制度要求在营业厅公示相关价格收费政策、收费标准和收费项目;员工工资不在公示之列。','R1.3','2026-12-04 02:21:48.749','2026-12-04 02:21:48.749');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `rectification_events` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `rectification_id` bigint(20) unsigned NOT NULL,
  `at` datetime(3) NOT NULL,
  `actor_id` bigint(20) unsigned DEFAULT NULL,
  `actor_name` varchar(64) NOT NULL,
  `from_status` varchar(16) NOT NULL,
  `to_status` varchar(16) NOT NULL,
  `reason` varchar(2000) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_rectification_events_rectification_id` (`rectification_id`)
) ENGINE=InnoDB AUTO_INCREMENT=2128 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `rectification_events` VALUES (1,1,'2025-12-16 00:37:52.000',6,'inspector2','','open','');
INSERT INTO `rectification_events` VALUES (2,1,'2025-12-18 00:37:52.000',NULL,'章贡区分公司经理','open','submitted','');
INSERT INTO `rectification_events` VALUES (3,1,'2025-12-19 00:37:52.000',6,'inspector2','submitted','open','整改照片未体现公示内容，请补充');
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER rectification_events_no_UPDATE BEFORE UPDATE ON rectification_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rectification_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb4 */ ;
/*!50003 SET character_set_results = utf8mb4 */ ;
/*!50003 SET collation_connection  = utf8mb4_unicode_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER rectification_events_no_DELETE BEFORE DELETE ON rectification_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'rectification_events is append-only' 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `rectifications` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `finding_id` bigint(20) unsigned NOT NULL,
  `org_unit_id` bigint(20) unsigned NOT NULL,
  `assignee_unit_id` bigint(20) unsigned NOT NULL,
  `critical` tinyint(1) NOT NULL,
  `status` varchar(16) NOT NULL,
  `due_on` date NOT NULL,
  `evidence_text` varchar(2000) NOT NULL,
  `submitted_at` datetime(3) DEFAULT NULL,
  `submitted_by` bigint(20) unsigned DEFAULT NULL,
  `verified_at` datetime(3) DEFAULT NULL,
  `verified_by` bigint(20) unsigned DEFAULT NULL,
  `waiver_reason` varchar(1000) NOT NULL,
  `waived_by` bigint(20) unsigned DEFAULT NULL,
  `follow_up_inspection_id` bigint(20) unsigned DEFAULT NULL,
  `revision` bigint(20) NOT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_rectifications_finding_id` (`finding_id`),
  KEY `idx_rectifications_org_unit_id` (`org_unit_id`),
  KEY `idx_rectifications_assignee_unit_id` (`assignee_unit_id`),
  KEY `idx_rectifications_status` (`status`),
  KEY `idx_rectifications_due_on` (`due_on`),
  KEY `idx_rectifications_created_at` (`created_at`),
  CONSTRAINT `fk_rectifications_assignee_unit` FOREIGN KEY (`assignee_unit_id`) REFERENCES `org_units` (`id`),
  CONSTRAINT `fk_rectifications_finding` FOREIGN KEY (`finding_id`) REFERENCES `findings` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=748 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `rectifications` VALUES (1,1,109,108,0,'verified','2025-12-23','已按要求整改，附整改后照片','2025-12-20 00:37:52.000',NULL,'2025-12-22 00:37:52.000',6,'',NULL,NULL,5,'2025-12-16 00:37:52.000','2025-12-22 00:37:52.000');
INSERT INTO `rectifications` VALUES (2,2,109,108,0,'verified','2025-12-23','已按要求整改，附整改后照片','2025-12-21 00:37:52.000',NULL,'2025-12-24 00:37:52.000',6,'',NULL,NULL,5,'2025-12-16 00:37:52.000','2025-12-24 00:37:52.000');
INSERT INTO `rectifications` VALUES (3,3,109,108,0,'verified','2025-12-23','已按要求整改，附整改后照片','2025-12-20 00:37:52.000',NULL,'2025-12-23 00:37:52.000',6,'',NULL,NULL,3,'2025-12-16 00:37:52.000','2025-12-23 00:37:52.000');
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `regrades` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `attempt_id` bigint(20) unsigned NOT NULL,
  `old_points` bigint(20) NOT NULL,
  `old_passed` tinyint(1) NOT NULL,
  `new_points` bigint(20) NOT NULL,
  `new_passed` tinyint(1) NOT NULL,
  `at` datetime(3) NOT NULL,
  `actor_name` varchar(64) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_regrades_attempt_id` (`attempt_id`),
  CONSTRAINT `fk_regrades_attempt` FOREIGN KEY (`attempt_id`) REFERENCES `attempts` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `secrets` (
  `name` varchar(64) NOT NULL,
  `value` varchar(255) NOT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `sessions` (
  `id` varchar(64) NOT NULL,
  `user_id` bigint(20) unsigned NOT NULL,
  `created_at` datetime(3) NOT NULL,
  `last_seen_at` datetime(3) NOT NULL,
  `expires_at` datetime(3) NOT NULL,
  `ip` varchar(64) NOT NULL,
  `user_agent` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_sessions_user_id` (`user_id`),
  KEY `idx_sessions_expires_at` (`expires_at`),
  CONSTRAINT `fk_sessions_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `settings` (
  `name` varchar(64) NOT NULL,
  `value` text NOT NULL,
  `updated_at` datetime(3) NOT NULL,
  `updated_by` bigint(20) unsigned DEFAULT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `sign_in_guesses` (
  `session_id` bigint(20) unsigned NOT NULL,
  `user_id` bigint(20) unsigned NOT NULL,
  `guesses` bigint(20) NOT NULL,
  `last_guess_at` datetime(3) NOT NULL,
  PRIMARY KEY (`session_id`,`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `users` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `username` varchar(64) NOT NULL,
  `display_name` varchar(64) NOT NULL,
  `password_hash` varchar(255) NOT NULL,
  `employee_id` bigint(20) unsigned DEFAULT NULL,
  `disabled` tinyint(1) NOT NULL,
  `password_changed_at` datetime(3) DEFAULT NULL,
  `last_login_at` datetime(3) DEFAULT NULL,
  `created_at` datetime(3) DEFAULT NULL,
  `updated_at` datetime(3) DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_users_username` (`username`),
  UNIQUE KEY `idx_users_employee_id` (`employee_id`),
  CONSTRAINT `fk_users_employee` FOREIGN KEY (`employee_id`) REFERENCES `employees` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `users` VALUES (1,'admin','系统管理员','$argon2id$v=19$m=19456,t=2,p=1$64vSRcmxyf+tMghsUwarDQ$Z0P5T8RvN3WJ7WH2LUw5bHtPT/ydJGnuzKlxQENUtjQ',NULL,0,'2026-12-04 02:21:49.027',NULL,'2026-12-04 02:21:49.028','2026-12-04 02:21:49.028');
INSERT INTO `users` VALUES (2,'trainer','培训师（省公司）','$argon2id$v=19$m=19456,t=2,p=1$9hpK+WwdkokAk/0siIvIpw$2rFp8ZcqfxXGQz0ffDheddvlzaQwqxTLyF9t3N8ssAI',1,0,'2026-12-04 02:21:49.217',NULL,'2026-12-04 02:21:49.218','2026-12-04 02:21:49.218');
INSERT INTO `users` VALUES (3,'inspector','督导员（南昌市分公司）','$argon2id$v=19$m=19456,t=2,p=1$OGMqZHTtX6g619jdZ3F+FA$7JCLfmv6/PyTe2EOZLXLUaPpwA4SUr4Sz6zgaO6xJEM',1051,0,'2026-12-04 02:21:49.250',NULL,'2026-12-04 02:21:49.250','2026-12-04 02:21:49.250');
/*M!999999\- enable the sandbox mode */ 
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `schema_migrations` (
  `version` bigint(20) NOT NULL,
  `name` varchar(191) NOT NULL,
  `applied_at` datetime(3) NOT NULL,
  PRIMARY KEY (`version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
INSERT INTO `schema_migrations` VALUES (1,'initial schema','2026-12-04 02:21:48.725');
INSERT INTO `schema_migrations` VALUES (2,'training and exams','2026-12-04 02:21:48.725');
INSERT INTO `schema_migrations` VALUES (3,'inspections and accountability','2026-12-04 02:21:48.725');
